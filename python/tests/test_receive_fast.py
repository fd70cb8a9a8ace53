"""The received-sample fast paths: timestamp_ns delivered with the sample (no C call),
kept in step with the setter; to_numpy() through NumPy's DLPack importer stays
read-only for received samples and keeps the slot alive on its own."""
import gc
import uuid

import numpy as np

import horus


def _pair():
    topic = f"fast-{uuid.uuid4().hex[:8]}"
    return horus.Publisher(topic, horus.Image, capacity=4), horus.Subscriber(topic, horus.Image, capacity=4, wait="spin")


def test_received_timestamp_matches_the_c_getter_and_follows_the_setter():
    pub, sub = _pair()
    with pub, sub:
        img = pub.loan(4, 6, "rgb8")
        img.timestamp_ns = 987654321012
        pub.send(img)
        got = sub.recv(timeout=5)
        assert got.timestamp_ns == 987654321012
        out = horus._lib.c_uint64()
        horus._lib.check(horus._lib.lib.horus_tensor_timestamp(got._h, horus._lib.ctypes.byref(out)))
        assert out.value == 987654321012
        got.timestamp_ns = 5
        horus._lib.check(horus._lib.lib.horus_tensor_timestamp(got._h, horus._lib.ctypes.byref(out)))
        assert (got.timestamp_ns, out.value) == (5, 5)


def test_received_numpy_view_is_read_only_and_outlives_the_sample():
    pub, sub = _pair()
    pool = horus.Pool.default()
    with pub, sub:
        img = horus.Image.from_numpy(np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3))
        pub.send(img)
        got = sub.recv(timeout=5)
        a = got.to_numpy()
        assert a.shape == (4, 6, 3) and not a.flags.writeable
        del got, img
        gc.collect()
        before = pool.slots_in_use
        assert before >= 1  # the view (and the ring entry) hold the slot
        assert a.ravel().tolist() == list(range(72))
        pub.send(horus.Image.empty(4, 6, "rgb8"))  # ring entries move on; the view still reads its own slot
        assert a.ravel().tolist() == list(range(72))


def test_samples_outlive_their_subscriber_and_recycled_handles_stay_distinct():
    # Received handles come from a per-subscriber cache; they must stay valid after the
    # subscriber is gone, and a recycled handle must never alias a live one.
    pool = horus.Pool(f"fastp-{uuid.uuid4().hex[:6]}")
    pub, sub = _pair()
    kept = []
    with pub:
        for i in range(12):
            img = horus.Image.from_numpy(np.full((4, 6, 3), i, np.uint8), pool=pool)
            pub.send(img)
            got = sub.recv(timeout=5)
            if i % 3 == 0:
                kept.append((i, got))  # held across later receives
            del got, img
        sub.close()
        assert [int(g.to_numpy()[0, 0, 0]) for _, g in kept] == [i for i, _ in kept]
        assert len({g._h for _, g in kept}) == len(kept)
        del kept
        gc.collect()
    # Publisher and subscriber closed: the ring went with its references, the samples with theirs.
    assert pool.slots_in_use == 0
