"""Micro-benchmarks of the Python edge: python -m horus.bench [--json] [--iterations N].

Measures p50/p90/p99 (microseconds) of to_numpy(), __dlpack__ + numpy.from_dlpack and
as_tensor() on tensors of 1 KB, 1 MB and 6 MB, and from_numpy() of 6 MB next to
numpy's own copy (np.copy). With --json the last line is one JSON object.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time

import numpy as np

SIZES = {"1KB": 1 << 10, "1MB": 1 << 20, "6MB": 6 << 20}


def _percentiles(samples_ns):
    a = np.sort(np.asarray(samples_ns, dtype=np.float64)) / 1000.0
    return {"p50": float(np.percentile(a, 50)), "p90": float(np.percentile(a, 90)),
            "p99": float(np.percentile(a, 99)), "n": int(a.size)}


def _measure(fn, iterations, warmup=50):
    for _ in range(warmup):
        fn()
    out = []
    clock = time.perf_counter_ns
    gc.disable()
    try:
        for _ in range(iterations):
            t0 = clock()
            fn()
            out.append(clock() - t0)
    finally:
        gc.enable()
    return _percentiles(out)


def run(iterations=2000, copy_iterations=200):
    import horus

    results = {"horus_version": horus.version(), "python": sys.version.split()[0], "numpy": np.__version__,
               "lib_dir": os.environ.get("HORUS_LIB_DIR", "(search)"), "zero_copy": {}, "copy_in": {}}
    for label, nbytes in SIZES.items():
        t = horus.Tensor([nbytes // 4], dtype="float32")
        results["zero_copy"][label] = {
            "to_numpy": _measure(t.to_numpy, iterations),
            "dlpack_from_dlpack": _measure(lambda: np.from_dlpack(t), iterations),
            "as_tensor": _measure(horus.Image(1, nbytes // 3, "rgb8").as_tensor, iterations)
            if label != "1KB" else _measure(horus.Image(1, 341, "rgb8").as_tensor, iterations),
        }
    src = np.random.default_rng(0).integers(0, 255, 6 << 20, dtype=np.uint8).reshape(1024, 2048, 3)
    from_numpy = _measure(lambda: horus.Image.from_numpy(src), copy_iterations, warmup=10)
    np_copy = _measure(lambda: np.copy(src), copy_iterations, warmup=10)
    results["copy_in"]["6MB"] = {"from_numpy": from_numpy, "np_copy": np_copy,
                                 "ratio_p50": from_numpy["p50"] / np_copy["p50"]}
    return results


def _table(r):
    lines = [f"horus {r['horus_version']}  python {r['python']}  numpy {r['numpy']}",
             f"{'operation':<22}{'size':>6}{'p50 us':>10}{'p90 us':>10}{'p99 us':>10}"]
    for size, ops in r["zero_copy"].items():
        for op, s in ops.items():
            lines.append(f"{op:<22}{size:>6}{s['p50']:>10.2f}{s['p90']:>10.2f}{s['p99']:>10.2f}")
    c = r["copy_in"]["6MB"]
    for op in ("from_numpy", "np_copy"):
        s = c[op]
        lines.append(f"{op:<22}{'6MB':>6}{s['p50']:>10.1f}{s['p90']:>10.1f}{s['p99']:>10.1f}")
    lines.append(f"from_numpy / np.copy (p50): {c['ratio_p50']:.2f}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m horus.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--copy-iterations", type=int, default=200)
    args = ap.parse_args(argv)
    r = run(args.iterations, args.copy_iterations)
    print(_table(r))
    if args.json:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
