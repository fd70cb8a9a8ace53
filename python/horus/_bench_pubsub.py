"""python -m horus.bench pubsub: image latency between two Python processes, horus
against iceoryx2 (PyPI, optional) measured in the same run.

Method (issue 18): a child process publishes `count` images at `rate_hz`, each a loaned
sample (horus: Publisher.loan, iceoryx2: Publisher.loan_uninit) filled with np.copyto
from a prepared frame; it stamps time.monotonic_ns() just before send (horus: the
sample's timestamp_ns, iceoryx2: the first 8 bytes of its payload). This process
busy-polls and stops the clock once it holds a NumPy view of the image and has read the
stamp. The first 10% of the images of each run are warm-up and discarded. Neither side is
pinned (as in the issue's method: pinned to busy cores, a loaded machine's latencies
grow to milliseconds); horus and iceoryx2 runs alternate in rounds, so both see the
same machine states. Sizes: 640x480 and
1920x1080 rgb8. Also measured: recv() + to_numpy() + timestamp_ns of an image already
in the ring (same process), the receive side's own cost.

--breakdown adds as many rounds again with a clock read around every step (BREAKDOWN):
the publisher's loan, fill, stamp and send; the subscriber's wake + recv (the publisher's
send returned -> recv returned; iceoryx2's, which polls from Python, also split at the
start of the poll that got the sample), to_numpy and timestamp read; each step's
p50/p90/p99 is printed. The receive loops are the ones of the latency rows.
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
import time
import uuid

import numpy as np

SIZES = {"640x480": (480, 640), "1920x1080": (1080, 1920)}

_CHILD = textwrap.dedent("""
    import json, sys, time, numpy as np
    backend, name, n, rate, h, w = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    timed = sys.argv[7] == "1"
    frame = (np.arange(h * w * 3, dtype=np.uint32) % 251).astype(np.uint8).reshape(h, w, 3)
    mono = time.monotonic_ns
    if backend == "horus":
        import horus
        pub = horus.Publisher(name, horus.Image, capacity=8)
        if not pub.wait_for_subscribers(1, timeout=60):
            sys.exit("no subscriber")
        def send():
            img = pub.loan(h, w, "rgb8")
            np.copyto(img.to_numpy(), frame)
            img.timestamp_ns = mono()
            pub.send(img)
        def send_timed():
            t0 = mono()
            img = pub.loan(h, w, "rgb8")
            t1 = mono()
            np.copyto(img.to_numpy(), frame)
            t2 = mono()
            stamp = mono()
            img.timestamp_ns = stamp
            t3 = mono()
            pub.send(img)
            return (t0, t1, t2, stamp, t3, mono())
    else:
        import ctypes, iceoryx2 as iox2
        iox2.set_log_level(iox2.LogLevel.Warn)
        class Frame(ctypes.Structure):
            _fields_ = [("stamp", ctypes.c_uint64), ("pixels", ctypes.c_uint8 * (h * w * 3))]
        node = iox2.NodeBuilder.new().create(iox2.ServiceType.Ipc)
        service = (node.service_builder(iox2.ServiceName.new(name)).publish_subscribe(Frame)
                   .subscriber_max_buffer_size(4).open_or_create())
        pub = service.publisher_builder().create()
        pixels = ctypes.c_uint8 * (h * w * 3)
        def send():
            s = pub.loan_uninit()
            p = s.payload_ptr
            np.copyto(np.frombuffer(pixels.from_address(p + 8), np.uint8).reshape(h, w, 3), frame)
            s = s.assume_init()
            ctypes.c_uint64.from_address(p).value = mono()
            s.send()
        def send_timed():
            t0 = mono()
            s = pub.loan_uninit()
            p = s.payload_ptr
            t1 = mono()
            np.copyto(np.frombuffer(pixels.from_address(p + 8), np.uint8).reshape(h, w, 3), frame)
            s = s.assume_init()
            t2 = mono()
            stamp = mono()
            ctypes.c_uint64.from_address(p).value = stamp
            t3 = mono()
            s.send()
            return (t0, t1, t2, stamp, t3, mono())
    print("ready", flush=True)
    sys.stdin.readline()  # the subscriber is in place
    time.sleep(0.2)
    period = 1e9 / rate
    records = []
    t = mono()
    for i in range(n):
        if timed:
            records.append(send_timed())
        else:
            send()
        t += period
        while mono() < t:
            time.sleep(max(0.0, (t - mono()) / 1e9 - 0.0005))
    print("done", flush=True)
    print(json.dumps(records), flush=True)
    sys.stdin.readline()
""")


def _percentiles(ns):
    a = np.asarray(ns, dtype=np.float64) / 1000.0
    return {"p50": float(np.percentile(a, 50)), "p90": float(np.percentile(a, 90)),
            "p99": float(np.percentile(a, 99)), "n": int(a.size)}


def iceoryx2_status():
    """None when iceoryx2 is importable, else why not."""
    try:
        import iceoryx2  # noqa: F401
    except Exception as e:  # ImportError, or a broken wheel
        return f"not installed ({type(e).__name__})"
    return None


def _horus_receiver(name, h, w):
    import horus

    sub = horus.Subscriber(name, horus.Image, capacity=8, wait="spin")
    mono = time.monotonic_ns
    recv = sub.recv

    def take(timeout_s):
        s = recv(timeout_s)
        if s is None:
            return None
        a = s.to_numpy()
        stamp = s.timestamp_ns
        now = mono()
        if a.shape != (h, w, 3):
            raise RuntimeError(f"horus.bench pubsub: image of shape {a.shape}")
        return now - stamp

    def take_timed(timeout_s):
        """(stamp, None, recv returned, to_numpy returned, stamp read): the receive is the
        one take() makes (spinning in C), so when the sample was noticed is not known."""
        s = recv(timeout_s)
        ta = mono()
        if s is None:
            return None
        a = s.to_numpy()
        tb = mono()
        stamp = s.timestamp_ns
        tc = mono()
        if a.shape != (h, w, 3):
            raise RuntimeError(f"horus.bench pubsub: image of shape {a.shape}")
        return stamp, None, ta, tb, tc

    return take, take_timed, sub.close


def _iceoryx2_receiver(name, h, w):
    import ctypes

    import iceoryx2 as iox2

    iox2.set_log_level(iox2.LogLevel.Warn)

    class Frame(ctypes.Structure):
        _fields_ = [("stamp", ctypes.c_uint64), ("pixels", ctypes.c_uint8 * (h * w * 3))]

    node = iox2.NodeBuilder.new().create(iox2.ServiceType.Ipc)
    service = (node.service_builder(iox2.ServiceName.new(name)).publish_subscribe(Frame)
               .subscriber_max_buffer_size(4).open_or_create())
    sub = service.subscriber_builder().buffer_size(4).create()
    mono = time.monotonic_ns
    n = h * w * 3
    pixels = ctypes.c_uint8 * n
    u64 = ctypes.c_uint64

    def poll(timeout_s):
        """(sample, when the poll that returned it began), or None."""
        deadline = mono() + int(timeout_s * 1e9)
        while True:
            tp = mono()
            s = sub.receive()
            if s is not None:
                return s, tp
            if tp > deadline:
                return None

    def take(timeout_s):
        got = poll(timeout_s)
        if got is None:
            return None
        s = got[0]
        p = s.payload_ptr
        a = np.frombuffer(pixels.from_address(p + 8), np.uint8).reshape(h, w, 3)
        stamp = u64.from_address(p).value
        now = mono()
        del a
        s.delete()
        return now - stamp

    def take_timed(timeout_s):
        got = poll(timeout_s)
        if got is None:
            return None
        ta = mono()
        s, tp = got
        p = s.payload_ptr
        a = np.frombuffer(pixels.from_address(p + 8), np.uint8).reshape(h, w, 3)
        tb = mono()
        stamp = u64.from_address(p).value
        tc = mono()
        del a
        s.delete()
        return stamp, tp, ta, tb, tc

    def close():
        sub.delete()
        service.delete() if hasattr(service, "delete") else None
        node.delete() if hasattr(node, "delete") else None

    return take, take_timed, close


# The --breakdown rows: (label, nanoseconds from a publisher and a subscriber record, or
# None where not known). Publisher record: t0 loan called, t1 loan returned, t2 filled,
# stamp, t3 stamp set, t4 send returned. Subscriber record: stamp, tp the poll that got the
# sample began (None for horus: its receive waits in C), ta recv returned, tb to_numpy
# returned, tc stamp read.
BREAKDOWN = [
    ("pub loan", lambda p, s: p[1] - p[0]),
    ("pub fill (np.copyto)", lambda p, s: p[2] - p[1]),
    ("pub stamp (set after the clock read)", lambda p, s: p[4] - p[3]),
    ("pub send", lambda p, s: p[5] - p[4]),
    ("sub wake + recv (send returned -> recv returned)", lambda p, s: s[2] - p[5]),
    ("sub wake (send returned -> poll began)", lambda p, s: None if s[1] is None else s[1] - p[5]),
    ("sub recv (the poll that got it)", lambda p, s: None if s[1] is None else s[2] - s[1]),
    ("sub to_numpy", lambda p, s: s[3] - s[2]),
    ("sub timestamp read", lambda p, s: s[4] - s[3]),
    ("sub to_numpy + timestamp read", lambda p, s: s[4] - s[2]),
    ("sub recv + to_numpy + timestamp read", lambda p, s: None if s[1] is None else s[4] - s[1]),
    ("total (stamp -> stamp read)", lambda p, s: s[4] - s[0]),
]


def _split(pub_records, sub_records):
    """Per-step nanoseconds of the messages both sides recorded, matched by stamp."""
    by_stamp = {r[3]: r for r in pub_records}
    steps = {label: [] for label, _ in BREAKDOWN}
    for s in sub_records:
        p = by_stamp.get(s[0])
        if p is None:
            continue
        for label, f in BREAKDOWN:
            ns = f(p, s)
            if ns is not None:
                steps[label].append(ns)
    return steps


def run_case(backend, size, count=2000, rate_hz=200.0, breakdown=False):
    """Latencies (ns) of publish stamp -> NumPy view + stamp in this process, the first
    10% dropped, and the number of images lost. With breakdown, the first item is instead
    {step: [ns]} (see BREAKDOWN)."""
    h, w = SIZES[size]
    name = f"horus-bench-{backend}-{uuid.uuid4().hex[:8]}"
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=pkg + os.pathsep + os.environ.get("PYTHONPATH", ""))
    take, take_timed, close = (_horus_receiver if backend == "horus" else _iceoryx2_receiver)(name, h, w)
    if breakdown:
        take = take_timed
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, backend, name, str(count), str(rate_hz), str(h), str(w),
                             "1" if breakdown else "0"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    lat = []
    out = ""
    try:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"horus.bench pubsub: the {backend} publisher did not start")
        proc.stdin.write("\n")
        proc.stdin.flush()
        gc.disable()
        # Until the publisher stops (a sample lost to a descheduled receiver on a loaded
        # machine must not hang the run): 10 s for the first, then 1 s of silence ends it.
        for k in range(count):
            d = take(10.0 if k == 0 else 1.0)
            if d is None:
                if k == 0:
                    raise RuntimeError(f"horus.bench pubsub: no {backend} image within 10 s")
                break
            lat.append(d)
    finally:
        gc.enable()
        try:
            out = proc.communicate("\n", timeout=30)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
        close()
    lost = count - len(lat)
    if breakdown:
        lines = out.strip().splitlines()
        return _split(json.loads(lines[-1]) if lines else [], lat[count // 10:]), lost
    return lat[count // 10:], lost


def receive_fields(iterations=4000, pause_s=0.0):
    """recv(0) + to_numpy() + timestamp_ns on a 1920x1080 rgb8 image already in the ring;
    with pause_s, after sleeping that long between send and recv (cold caches, as in the
    two-process rows)."""
    import horus

    topic = f"bench-fields-{uuid.uuid4().hex[:8]}"
    out = []
    clock = time.perf_counter_ns
    with horus.Publisher(topic, horus.Image, capacity=8) as pub, \
            horus.Subscriber(topic, horus.Image, capacity=8, wait="spin") as sub:
        imgs = [horus.Image.empty(1080, 1920, "rgb8") for _ in range(4)]
        gc.disable()
        try:
            for k in range(iterations + iterations // 10):
                pub.send(imgs[k % 4])
                if pause_s:
                    time.sleep(pause_s)
                t0 = clock()
                s = sub.recv(0)
                a = s.to_numpy()
                stamp = s.timestamp_ns
                t1 = clock()
                del s, a, stamp
                out.append(t1 - t0)
        finally:
            gc.enable()
    return _percentiles(out[iterations // 10:])


def _rounds(backends, size, count, rate_hz, rounds, breakdown):
    """Alternating rounds of count / rounds images per backend: {backend: (samples, lost)}
    (samples: latencies, or {step: [ns]} with breakdown)."""
    out = {b: ({label: [] for label, _ in BREAKDOWN} if breakdown else [], 0) for b in backends}
    for _ in range(rounds):
        for b in backends:
            got, n_lost = run_case(b, size, max(10, count // rounds), rate_hz, breakdown)
            acc, lost = out[b]
            if breakdown:
                for label in acc:
                    acc[label] += got[label]
            else:
                acc += got
            out[b] = (acc, lost + n_lost)
    return out


def run(count=2000, rate_hz=200.0, rounds=4, breakdown=False):
    """Every row: horus and iceoryx2 (when installed) per size, in alternating rounds of
    count / rounds images each, then the receive-side cost; with breakdown, then as many
    rounds again with clocks around every step (see BREAKDOWN)."""
    missing = iceoryx2_status()
    backends = ["horus"] + ([] if missing else ["iceoryx2"])
    rows = {}
    split = {}
    for size in SIZES:
        got = _rounds(backends, size, count, rate_hz, rounds, False)
        row = _percentiles(got["horus"][0])
        row["lost"] = got["horus"][1]
        base = None
        if not missing:
            base = _percentiles(got["iceoryx2"][0])
            base["lost"] = got["iceoryx2"][1]
        row["baseline"] = base
        row["ratio"] = row["p50"] / base["p50"] if base else None
        row["goal"] = "ratio<=1.00x"
        row["met"] = (row["ratio"] <= 1.0) if base else None
        rows[f"pubsub {size} rgb8"] = row
    if breakdown:
        for size in SIZES:
            got = _rounds(backends, size, count, rate_hz, rounds, True)
            split[size] = {b: {label: _percentiles(ns) for label, ns in got[b][0].items() if ns} for b in backends}
    fields = receive_fields()
    fields["goal"] = "p50<=5 us"
    fields["met"] = fields["p50"] <= 5.0
    rows["recv+to_numpy+timestamp_ns 1920x1080 (ready)"] = fields
    cold = receive_fields(400, 1.0 / rate_hz)
    cold["goal"] = "-"
    rows["recv+to_numpy+timestamp_ns 1080p ready, cold"] = cold
    r = {"iceoryx2": missing or "installed", "count": count, "rate_hz": rate_hz, "rounds": rounds, "rows": rows}
    if breakdown:
        r["breakdown"] = split
    return r


def _breakdown_table(split):
    lines = []
    for size, by_backend in split.items():
        backends = list(by_backend)
        head = f"{'breakdown ' + size + ' (us)':<50}"
        head += "".join(f"{b + ' p50':>13}{'p90':>8}{'p99':>8}" for b in backends)
        lines.append(head)
        for label, _ in BREAKDOWN:
            line = f"{'  ' + label:<50}"
            for b in backends:
                s = by_backend[b].get(label)
                line += f"{s['p50']:>13.2f}{s['p90']:>8.2f}{s['p99']:>8.2f}" if s else f"{'-':>13}{'-':>8}{'-':>8}"
            lines.append(line)
    return lines


def table(r):
    lines = [f"python -m horus.bench pubsub: {r['count']} images at {r['rate_hz']:.0f} Hz between two Python "
             f"processes in {r['rounds']} alternating rounds, first 10% of each discarded; iceoryx2: {r['iceoryx2']}",
             f"{'row':<46}{'p50 us':>9}{'p90 us':>9}{'p99 us':>9}  {'iceoryx2 p50':>12}{'ratio':>8}  goal"]
    for name, s in r["rows"].items():
        base = s.get("baseline")
        b = f"{base['p50']:>10.2f} us" if base else ("-" if "baseline" not in s else r["iceoryx2"])
        ratio = f"{s['ratio']:.2f}x" if s.get("ratio") is not None else "-"
        met = {True: "PASS", False: "MISS", None: ""}[s.get("met")]
        lines.append(f"{name:<46}{s['p50']:>9.2f}{s['p90']:>9.2f}{s['p99']:>9.2f}  {b:>12}{ratio:>8}  {s['goal']} {met}")
        if s.get("lost"):
            lines[-1] += f"  ({s['lost']} lost)"
        if base:
            lines.append(f"{'  iceoryx2 ' + name[len('pubsub '):]:<46}{base['p50']:>9.2f}{base['p90']:>9.2f}{base['p99']:>9.2f}"
                         + (f"  ({base['lost']} lost)" if base.get("lost") else ""))
    if r.get("breakdown"):
        lines += _breakdown_table(r["breakdown"])
    return "\n".join(lines)
