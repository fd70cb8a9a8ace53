"""In-tree PEP 517 build backend for horus: setuptools, plus libhorus_c.so inside the wheel.

`pip install ./python` (or `python -m build python`) runs build_wheel here, which first builds
libhorus_c.so with SwiftPM from the checkout this directory belongs to
(`swift build -c release --product horus_c`; HORUS_SWIFT_CONFIGURATION=debug for a debug
build) and copies it into the package, so the installed `horus` finds it next to its own
files. HORUS_LIB_DIR=DIR uses an already built DIR/libhorus_c.so instead of building.
The library finds the Swift runtime through its RUNPATH (the toolchain it was built with,
then its own directory); with HORUS_BUNDLE_SWIFT_RUNTIME=1 the Swift runtime libraries it
links are copied beside it too, for machines without that toolchain.
"""
import os
import shutil
import subprocess

from setuptools import build_meta as _orig

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PACKAGE = os.path.join(HERE, "horus")
LIB_NAME = "libhorus_c.so"


class BuildError(RuntimeError):
    pass


def _swift():
    found = shutil.which("swift")
    if found:
        return found
    for candidate in ("/opt/swift/usr/bin/swift", "/usr/bin/swift"):
        if os.path.exists(candidate):
            return candidate
    return None


def _built_library():
    prebuilt = os.environ.get("HORUS_LIB_DIR")
    if prebuilt:
        path = os.path.join(prebuilt, LIB_NAME)
        if not os.path.exists(path):
            raise BuildError(f"horus: HORUS_LIB_DIR={prebuilt} has no {LIB_NAME}")
        return path
    swift = _swift()
    if swift is None:
        raise BuildError("horus: building the wheel needs `swift` (to build libhorus_c.so) on PATH, "
                         "or HORUS_LIB_DIR pointing at a directory with a built libhorus_c.so")
    if not os.path.exists(os.path.join(REPO, "Package.swift")):
        raise BuildError(f"horus: {REPO} is not the horus checkout (no Package.swift); set HORUS_LIB_DIR")
    config = os.environ.get("HORUS_SWIFT_CONFIGURATION", "release")
    cmd = [swift, "build", "--package-path", REPO, "-c", config, "--product", "horus_c"]
    print("horus: " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd)
    if result.returncode != 0:
        raise BuildError(f"horus: `{' '.join(cmd)}` failed with status {result.returncode}")
    bin_dir = subprocess.run(cmd[:-2] + ["--show-bin-path"], capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(bin_dir, LIB_NAME)


def _swift_runtime(lib):
    """The Swift runtime libraries `lib` links, as resolved on this machine."""
    out = subprocess.run(["ldd", lib], capture_output=True, text=True, check=True).stdout
    paths = []
    for line in out.splitlines():
        parts = line.split("=>")
        if len(parts) == 2:
            path = parts[1].strip().split(" ")[0]
            if "/swift/" in path and os.path.exists(path):
                paths.append(path)
    return paths


def _stage():
    """Copies the native files into the package; returns the paths to remove afterwards."""
    lib = _built_library()
    staged = []
    files = [lib] + (_swift_runtime(lib) if os.environ.get("HORUS_BUNDLE_SWIFT_RUNTIME") == "1" else [])
    for src in files:
        dst = os.path.join(PACKAGE, os.path.basename(src))
        shutil.copy2(src, dst)
        staged.append(dst)
    return staged


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    staged = _stage()
    try:
        return _orig.build_wheel(wheel_directory, config_settings, metadata_directory)
    finally:
        for path in staged:
            os.remove(path)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # An editable install imports from this directory: the library is found in the
    # checkout's .build (see horus/_lib.py), so nothing is staged.
    return _orig.build_editable(wheel_directory, config_settings, metadata_directory)


get_requires_for_build_wheel = _orig.get_requires_for_build_wheel
get_requires_for_build_sdist = _orig.get_requires_for_build_sdist
get_requires_for_build_editable = getattr(_orig, "get_requires_for_build_editable", None)
prepare_metadata_for_build_wheel = _orig.prepare_metadata_for_build_wheel
prepare_metadata_for_build_editable = getattr(_orig, "prepare_metadata_for_build_editable", None)
build_sdist = _orig.build_sdist
