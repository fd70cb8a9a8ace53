"""Micro-benchmarks of the Python edge: python -m horus.bench [--json] [--iterations N].

`python -m horus.bench pubsub [--json] [--count N] [--rate HZ]` is the two-process
image latency against iceoryx2 (see _bench_pubsub).

Measures p50/p90/p99 (microseconds) of to_numpy(), __dlpack__ + numpy.from_dlpack and
as_tensor() on tensors of 1 KB, 1 MB and 6 MB, and from_numpy() of 6 MB next to
numpy's own copy (np.copy), and the receive latency of a 6 MB (1920x1080 rgb8) image
published by another process (--topic-iterations; 0 skips it). With --json the last
line is one JSON object.

Receive latency: a child process publishes images stamped with CLOCK_MONOTONIC just
before publishing (horus-testproc when found: $HORUS_BIN_DIR, next to libhorus_c.so or
a build directory; else a Python child); the parent subscribes and computes
clock_gettime_ns(CLOCK_MONOTONIC) - stamp as soon as recv() has returned the Image, so
the number covers publish -> ring -> wake-up -> descriptor validation -> Python object.
The publisher is paced (2 ms) so every sample is measured on its own.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid

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


_PY_PUBLISHER = textwrap.dedent("""
    import sys, time, horus
    pool, topic, n, pace_us, h, w = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    pub = horus.Publisher(topic, horus.Image, capacity=8)
    pub.wait_for_subscribers(1, timeout=60)
    print("publishing", flush=True)
    for i in range(n):
        img = horus.Image(h, w, "rgb8", pool=pool)
        img.timestamp_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        pub.send(img)
        time.sleep(pace_us / 1e6)
    print(f"published {n}", flush=True)
    sys.stdin.readline()
""")


def _find_testproc():
    from ._lib import lib

    dirs = [os.environ.get("HORUS_BIN_DIR"), os.path.dirname(os.path.abspath(lib._name))]
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    dirs += [os.path.join(repo, b, c) for b in (".build", ".build-py") for c in ("release", "debug")]
    for d in dirs:
        if d and os.access(os.path.join(d, "horus-testproc"), os.X_OK):
            return os.path.join(d, "horus-testproc")
    return shutil.which("horus-testproc")


def receive_latency(iterations=500, height=1080, width=1920, pace_us=2000, wait="spin", publisher="auto"):
    """p50/p90/p99 (us) from a child's publish stamp to the received Image in Python."""
    import horus

    pool, topic = f"bench-{uuid.uuid4().hex[:8]}", f"bench-cam-{uuid.uuid4().hex[:8]}"
    horus.Pool(pool)  # the child publishes from this pool (it must exist first)
    warmup = 20
    n = iterations + warmup
    tp = _find_testproc() if publisher in ("auto", "testproc") else None
    if tp:
        cmd = [tp, "pub-stamped", pool, topic, str(n), "1", str(pace_us), str(height), str(width)]
        who = "horus-testproc"
    else:
        pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        cmd = [sys.executable, "-c", _PY_PUBLISHER, pool, topic, str(n), str(pace_us), str(height), str(width)]
        who = "python"
    env = dict(os.environ)
    if not tp:
        env["PYTHONPATH"] = pkg + os.pathsep + env.get("PYTHONPATH", "")
    sub = horus.Subscriber(topic, horus.Image, capacity=8, wait=wait)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    lat = []
    clock, mono = time.clock_gettime_ns, time.CLOCK_MONOTONIC
    try:
        if proc.stdout.readline().strip() != "publishing":
            raise RuntimeError(f"horus.bench: publisher {who} did not start")
        gc.disable()
        for k in range(n):
            img = sub.recv(timeout=10)
            now = clock(mono)
            if img is None:
                raise RuntimeError(f"horus.bench: no image after {k} received")
            if k >= warmup:
                lat.append(now - img.timestamp_ns)
            del img
    finally:
        gc.enable()
        stats = sub.stats()
        sub.close()
        try:
            proc.communicate("\n", timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    r = _percentiles(lat)
    r.update({"publisher": who, "wait": wait, "bytes": height * width * 3, "pace_us": pace_us,
              "dropped": stats["dropped"]})
    return r


def receive_ready(iterations=2000):
    """p50/p90/p99 (us) of recv(0) on a 6 MB Image that is already in the ring (same
    process): the cost of the receive call itself, without any wake-up or scheduling."""
    import horus

    topic = f"bench-ready-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.Image, capacity=8) as pub, \
            horus.Subscriber(topic, horus.Image, capacity=8, wait="spin") as sub:
        imgs = [horus.Image(1080, 1920, "rgb8") for _ in range(4)]
        out = []
        clock = time.perf_counter_ns
        gc.disable()
        try:
            for k in range(iterations + 50):
                pub.send(imgs[k % 4])
                t0 = clock()
                got = sub.recv(0)
                t1 = clock()
                if got is None:
                    raise RuntimeError("horus.bench: published sample not received")
                del got
                if k >= 50:
                    out.append(t1 - t0)
        finally:
            gc.enable()
    return _percentiles(out)


def _table(r):
    lines = [f"horus {r['horus_version']}  python {r['python']}  numpy {r['numpy']}",
             f"{'operation':<22}{'size':>6}{'p50 us':>10}{'p90 us':>10}{'p99 us':>10}"]
    for size, ops in r["zero_copy"].items():
        for op, s in ops.items():
            lines.append(f"{op:<22}{size:>6}{s['p50']:>10.2f}{s['p90']:>10.2f}{s['p99']:>10.2f}")
    c = r["copy_in"].get("6MB")
    if c:
        for op in ("from_numpy", "np_copy"):
            s = c[op]
            lines.append(f"{op:<22}{'6MB':>6}{s['p50']:>10.1f}{s['p90']:>10.1f}{s['p99']:>10.1f}")
        lines.append(f"from_numpy / np.copy (p50): {c['ratio_p50']:.2f}")
    for label, t in r.get("topics", {}).items():
        extra = f"   (publisher {t['publisher']}, n={t['n']}, dropped {t['dropped']})" if "publisher" in t else ""
        lines.append(f"{label:<28}{t['p50']:>10.2f}{t['p90']:>10.2f}{t['p99']:>10.2f}{extra}")
    return "\n".join(lines)


def pubsub_main(argv):
    from . import _bench_pubsub

    ap = argparse.ArgumentParser(prog="python -m horus.bench pubsub", description=_bench_pubsub.__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--count", type=int, default=2000, help="images per case (the first 10%% are discarded)")
    ap.add_argument("--rate", type=float, default=200.0, help="publish rate, Hz")
    ap.add_argument("--rounds", type=int, default=4, help="alternating horus / iceoryx2 rounds per size")
    ap.add_argument("--breakdown", action="store_true",
                    help="then as many rounds again with a clock around every step (publisher: loan, fill, stamp, "
                         "send; subscriber: wake, recv, to_numpy, timestamp read), p50/p90/p99 per step")
    args = ap.parse_args(argv)
    if args.count < 10 or args.rate <= 0 or args.rounds < 1:
        ap.error("--count must be >= 10, --rate > 0 and --rounds >= 1")
    r = _bench_pubsub.run(args.count, args.rate, args.rounds, args.breakdown)
    print(_bench_pubsub.table(r))
    if args.json:
        print(json.dumps(r))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["pubsub"]:
        return pubsub_main(argv[1:])
    ap = argparse.ArgumentParser(prog="python -m horus.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--copy-iterations", type=int, default=200)
    ap.add_argument("--topic-iterations", type=int, default=500,
                    help="6 MB images received from another process per wait policy (0: skip)")
    ap.add_argument("--only-topics", action="store_true", help="run only the receive-latency benchmark")
    args = ap.parse_args(argv)
    if args.only_topics:
        import horus

        r = {"horus_version": horus.version(), "python": sys.version.split()[0], "numpy": np.__version__,
             "zero_copy": {}, "copy_in": {}}
    else:
        r = run(args.iterations, args.copy_iterations)
    if args.topic_iterations > 0:
        r["topics"] = {"recv 6MB ready (in-process)": receive_ready(4 * args.topic_iterations)}
        for w in ("spin", "block"):
            r["topics"][f"recv 6MB image ({w})"] = receive_latency(args.topic_iterations, wait=w)
    print(_table(r))
    if args.json:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
