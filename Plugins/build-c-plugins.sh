#!/bin/sh
# Builds the C plugins under Plugins/ into $1 (default: .build/plugins).
# Each Plugins/<Name>/*.c becomes lib<name-lowercased>.so, e.g. libhorus_threshold.so.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/.build/plugins"}
cc=${CC:-cc}
mkdir -p "$out"
for dir in "$root"/Plugins/*/; do
  ls "$dir"*.c >/dev/null 2>&1 || continue
  name=$(basename "$dir" | tr 'A-Z' 'a-z')
  "$cc" -shared -fPIC -O2 -Wall -Wextra -std=c11 -I "$root/Sources/CHorus/include" \
    -o "$out/libhorus_$name.so" "$dir"*.c -lm
  echo "$out/libhorus_$name.so"
done
