"""The builtin fast paths of _fast (horus_py_builtin): argument checks, status results,
as_tensor() handles, and recv() releasing the GIL while it waits."""
import threading
import time
import uuid

import numpy as np
import pytest

import horus
from horus import _fast
from horus._lib import HorusValueError, Received, check


def test_builtins_are_builtin_functions():
    assert _fast.BUILTINS
    for f in (_fast.release, _fast.as_tensor_handle, _fast.dlpack_capsule, _fast.receive):
        assert type(f).__name__ == "builtin_function_or_method"


def test_builtin_arguments_are_checked():
    with pytest.raises(TypeError):
        _fast.release("not a handle")
    with pytest.raises(TypeError):
        _fast.dlpack_capsule(1, 1)  # three arguments
    with pytest.raises(TypeError):
        _fast.receive(1, 0)
    assert _fast.release(0) == 0  # NULL is accepted and ignored, like horus_tensor_release


def test_failures_come_back_as_statuses():
    status = _fast.dlpack_capsule(0, 1, 0)  # NULL handle
    assert status.__class__ is int and status < 0
    with pytest.raises(HorusValueError, match="NULL"):
        check(status)
    assert _fast.as_tensor_handle(0) == 0


def test_as_tensor_gives_a_tensor_handle_of_its_own():
    img = horus.Image(4, 5, "rgb8")
    img.to_numpy()[:] = 3
    t = img.as_tensor()
    assert type(t) is horus.Tensor and t.kind == "Tensor" and t.shape == (4, 5, 3) and t.dtype == "uint8"
    assert t._h != img._h and t.data_ptr == img.data_ptr
    assert img.kind == "Image" and img.encoding == "rgb8"  # the source's info is untouched
    del img
    assert (t.to_numpy() == 3).all()  # the new handle holds the slot on its own
    src = horus.Image(2, 2, "mono8")
    rx = horus.Image.from_descriptor(src.descriptor(), read_only=True)
    assert rx.as_tensor().is_read_only
    topic = f"fast-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.Tensor) as pub:  # its handle is a Tensor's
        pub.send(horus.Image(2, 3, "mono8").as_tensor())


def test_received_sample_keeps_its_received_info():
    topic = f"fast-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image, wait="spin") as sub:
        assert sub.recv(0) is None
        img = horus.Image.from_numpy(np.full((3, 4, 3), 5, np.uint8))
        pub.send(img)
        rx = sub.recv(1)
        assert isinstance(rx._info, Received) and rx._info.handle == rx._h
        assert type(rx) is horus.Image and rx.shape == (3, 4, 3) and rx.is_read_only
        assert rx.data_ptr == img.data_ptr and (rx.to_numpy() == 5).all()
        t = rx.as_tensor()  # its Tensor info is made from the Received
        assert type(t) is horus.Tensor and t.shape == (3, 4, 3) and t.is_read_only and t.data_ptr == img.data_ptr
        assert rx.kind == "Image" and rx.timestamp_ns == img.timestamp_ns


def test_recv_releases_the_gil_while_waiting():
    topic = f"fast-{uuid.uuid4().hex[:8]}"
    ticks = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    with horus.Subscriber(topic, horus.Tensor, wait="spin") as sub:
        th = threading.Thread(target=spin)
        th.start()
        try:
            time.sleep(0.02)
            start = ticks[0]
            assert sub.recv(timeout=0.3) is None  # 300 ms in C, spinning
            during = ticks[0] - start
        finally:
            stop.set()
            th.join()
    assert during > 1000  # the other thread ran meanwhile


_FALLBACK_SCRIPT = """
import gc, uuid
import numpy as np
import horus
from horus import _fast
assert not _fast.BUILTINS
pool = horus.Pool.default()
before = pool.slots_in_use
t = horus.Tensor.from_numpy(np.arange(8, dtype=np.float32))
a = np.from_dlpack(t)
unused = t.__dlpack__()
v = horus.Image(2, 3, "rgb8").as_tensor()
assert v.shape == (2, 3, 3) and v.kind == "Tensor"
topic = "fb-" + uuid.uuid4().hex[:8]
with horus.Publisher(topic, horus.Tensor) as pub, horus.Subscriber(topic, horus.Tensor) as sub:
    pub.send(t)
    rx = sub.recv(1)
    assert rx.is_read_only and (rx.to_numpy() == np.arange(8)).all()
    assert sub.recv(0) is None
with horus.Publisher(topic + "s", horus.Tensor) as pub, horus.Subscriber(topic + "s", horus.Tensor, wait="spin") as sub:
    assert sub.recv(0.02) is None  # spin slices through ctypes
    pub.send(horus.Tensor([2], dtype="uint8"))
    assert sub.recv(1).shape == (2,)
del t, unused, v, rx
gc.collect()
assert (a == np.arange(8)).all()
del a
gc.collect()
assert pool.slots_in_use == before, (pool.slots_in_use, before)
print("fallback ok")
"""


def test_ctypes_fallback_paths():
    import os
    import subprocess
    import sys

    from conftest import PYTHON_DIR

    env = dict(os.environ, HORUS_PY_BUILTINS="0", PYTHONPATH=PYTHON_DIR)
    r = subprocess.run([sys.executable, "-c", _FALLBACK_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "fallback ok" in r.stdout


def test_a_spinning_recv_waits_in_slices_and_keeps_its_timeout():
    topic = f"fast-{uuid.uuid4().hex[:8]}"
    with pytest.raises(TypeError):
        _fast.receive_slice(1)  # two arguments
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image, wait="spin") as sub:
        t0 = time.monotonic()
        assert sub.recv(timeout=0.05) is None  # many slices, then the deadline
        waited = time.monotonic() - t0
        assert 0.05 <= waited < 2.0
        img = horus.Image.from_numpy(np.full((2, 3, 3), 9, np.uint8))
        th = threading.Timer(0.05, pub.send, (img,))
        th.start()
        try:
            got = sub.recv(timeout=5)  # woken in a later slice
        finally:
            th.join()
        assert got is not None and (got.to_numpy() == 9).all() and got.data_ptr == img.data_ptr
        pub.send(img)
        assert sub.recv(None).data_ptr == img.data_ptr  # forever: slices until it comes


def test_receive_builtins_return_the_new_handle_or_the_status():
    from ctypes import addressof

    topic = f"fast-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.Tensor) as pub, horus.Subscriber(topic, horus.Tensor, wait="spin") as sub:
        r = Received()
        assert _fast.receive(sub._p, 0, addressof(r)) == 1  # HORUS_TIMEOUT
        assert _fast.receive_slice(sub._p, addressof(r)) == 1
        for f in (lambda: _fast.receive(sub._p, 1000, addressof(r)), lambda: _fast.receive_slice(sub._p, addressof(r))):
            pub.send(horus.Tensor([3], dtype="uint8"))
            got = f()
            assert got > 1 and got == r.handle and r.shape[0] == 3
            assert _fast.release(got) == 0
        assert _fast.receive(0, 0, addressof(r)) < 0  # NULL subscriber: a status
