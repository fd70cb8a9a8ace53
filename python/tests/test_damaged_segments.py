"""Scribbled shared memory from Python's side: random bytes over a topic ring's entries
must neither spin nor hang recv(timeout=...), and delivery resumes once a publisher
writes again."""
import os
import random
import time
import uuid

from conftest import NAMESPACE

import horus

RING_HEADER_BYTES = 16384  # HORUS_RING_HEADER_BYTES


def test_random_ring_entries_do_not_hang_recv_with_timeout():
    topic = f"scribble-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.PointCloud, capacity=8) as pub, \
            horus.Subscriber(topic, horus.PointCloud, wait="block") as sub:
        path = f"/dev/shm/horus-{NAMESPACE}-topic-{topic}"
        size = os.path.getsize(path)
        rng = random.Random(17)
        with open(path, "r+b") as f:
            f.seek(RING_HEADER_BYTES)
            f.write(bytes(rng.getrandbits(8) for _ in range(size - RING_HEADER_BYTES)))
        for _ in range(3):
            t0 = time.monotonic()
            assert sub.recv(timeout=0.5) is None
            elapsed = time.monotonic() - t0
            assert 0.45 <= elapsed < 2.0, elapsed
        # A publish overwrites the damaged entry at the subscriber's cursor: it arrives.
        c = horus.PointCloud(3)
        c.timestamp_ns = 77
        pub.publish(c)
        got = sub.recv(timeout=2.0)
        assert got is not None and got.timestamp_ns == 77


def test_truncated_ring_does_not_kill_the_subscriber():
    topic = f"truncated-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.PointCloud, capacity=8) as pub, \
            horus.Subscriber(topic, horus.PointCloud, wait="block") as sub:
        c = horus.PointCloud(3)
        c.timestamp_ns = 5
        pub.publish(c)
        assert sub.recv(timeout=2.0).timestamp_ns == 5
        os.truncate(f"/dev/shm/horus-{NAMESPACE}-topic-{topic}", 0)
        t0 = time.monotonic()
        assert sub.recv(timeout=0.5) is None  # a SIGBUS would end the test process here
        assert time.monotonic() - t0 < 2.0
