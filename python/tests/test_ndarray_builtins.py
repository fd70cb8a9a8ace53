"""The builtins of horus_py_ndarray.c / horus_py_timestamp.c: to_numpy() made in C with
NumPy's C-API (geometry, read-only-ness, the sample as the array's base), the timestamp
getter and setter, their argument checks, and the forms used when they are turned off."""
import ctypes
import gc
import os
import subprocess
import sys
import uuid

import numpy as np
import pytest

import horus
from horus import _fast
from horus._lib import DTYPE_NAMES, HorusValueError, Received, TensorInfo, check


def test_the_ndarray_builtins_are_in_use():
    assert _fast.NDARRAY and type(_fast.to_numpy).__name__ == "builtin_function_or_method"
    for f in (_fast.timestamp, _fast.set_timestamp):
        assert type(f).__name__ == "builtin_function_or_method"


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_to_numpy_geometry_for_every_dtype(name):
    t = horus.Tensor([3, 5], dtype=name)
    a = t.to_numpy()
    assert type(a) is np.ndarray and a.dtype == np.dtype(name) and a.shape == (3, 5)
    assert a.strides == tuple(s * a.itemsize for s in t.strides)
    assert a.ctypes.data == t.data_ptr and a.flags.writeable and a.flags.c_contiguous
    assert a.base is t


def test_to_numpy_of_strided_views_and_zero_dimensional_tensors():
    src = horus.Tensor.from_numpy(np.arange(60, dtype=np.int32).reshape(3, 4, 5))
    v = src[1:, ::2, 1:4:2]
    a = v.to_numpy()
    np.testing.assert_array_equal(a, np.arange(60, dtype=np.int32).reshape(3, 4, 5)[1:, ::2, 1:4:2])
    assert not a.flags.c_contiguous and a.strides == tuple(s * 4 for s in v.strides)
    s = src[2, 3, 4]  # all ints: a Python scalar through a 0-d view
    assert s == 59
    z = horus.Tensor([0, 3], dtype="float32").to_numpy()
    assert z.shape == (0, 3) and z.size == 0


def test_writes_through_to_numpy_reach_the_slot_and_received_views_are_read_only():
    topic = f"nd-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image, wait="spin") as sub:
        img = pub.loan(4, 6, "rgb8")
        img.to_numpy()[:] = 7
        assert (img.to_numpy() == 7).all()  # a new array each call, over the same memory
        pub.send(img)
        rx = sub.recv(5)
        a = rx.to_numpy()
        assert not a.flags.writeable and (a == 7).all() and a.base is rx
        with pytest.raises(ValueError):
            a[0, 0, 0] = 1
        with pytest.raises(ValueError):
            a.flags.writeable = True  # NumPy refuses: the base is not writeable memory it owns


def test_the_array_keeps_the_sample_and_its_slot_alive():
    pool = horus.Pool(f"nd-{uuid.uuid4().hex[:6]}")
    t = horus.Tensor.from_numpy(np.arange(16, dtype=np.float64), pool=pool)
    a = t.to_numpy()
    assert sys.getrefcount(t) == 3  # t, the argument, the array's base
    h = t._h
    del t
    gc.collect()
    assert a.base._h == h and pool.slots_in_use == 1
    assert a.tolist() == list(range(16))
    b = a[4:8]  # a view of the view: its base chain ends at the sample too
    del a
    gc.collect()
    assert pool.slots_in_use == 1 and b.tolist() == [4, 5, 6, 7]
    del b
    gc.collect()
    assert pool.slots_in_use == 0


def test_to_numpy_rejects_what_is_not_an_info():
    t = horus.Tensor([2], dtype="uint8")
    with pytest.raises(TypeError):
        _fast.to_numpy(t)  # two arguments
    with pytest.raises(TypeError):
        _fast.to_numpy(t, 12345)  # no buffer
    with pytest.raises(TypeError):
        _fast.to_numpy(t, bytearray(8))  # shorter than a horus_tensor_info_t
    bad = TensorInfo.from_buffer_copy(t._info)
    bad.ndim = 9
    with pytest.raises(ValueError):
        _fast.to_numpy(t, bad)
    bad = TensorInfo.from_buffer_copy(t._info)
    bad.dtype = 12
    with pytest.raises(ValueError):
        _fast.to_numpy(t, bad)
    bad = TensorInfo.from_buffer_copy(t._info)
    bad.itemsize = 4  # not uint8's
    with pytest.raises(ValueError):
        _fast.to_numpy(t, bad)
    bad = TensorInfo.from_buffer_copy(t._info)
    bad.data = None  # NULL data with bytes to show
    with pytest.raises(ValueError):
        _fast.to_numpy(t, bad)


def test_numpy_init_checks_its_arguments():
    init = horus._lib.pylib.horus_py_builtin(_fast._NUMPY_INIT)
    with pytest.raises(TypeError):
        init(1)
    with pytest.raises((TypeError, ValueError)):
        init(1, tuple(range(12)))  # not a capsule
    capsule = np._core._multiarray_umath._ARRAY_API
    with pytest.raises(TypeError):
        init(capsule, (1, 2, 3))  # 12 type numbers needed
    assert init(capsule, tuple(np.dtype(n).num for n in DTYPE_NAMES)) == 1  # again: already set up


def test_timestamp_builtins_on_received_and_plain_infos():
    t = horus.Tensor([2], dtype="uint8")
    assert t.timestamp_ns == 0 and t._info.__class__ is TensorInfo
    t.timestamp_ns = np.uint64(2**64 - 1)  # any integer type, the whole uint64 range
    assert t.timestamp_ns == 2**64 - 1 and _fast.timestamp(t._h, t._info) == 2**64 - 1
    img = horus.Image.empty(2, 2, "mono8")
    assert img._info.__class__ is Received
    img.timestamp_ns = 42
    assert img._info.timestamp_ns == 42  # the Received copy follows the setter
    out = ctypes.c_uint64()
    check(horus._lib.lib.horus_tensor_timestamp(img._h, ctypes.byref(out)))
    assert out.value == 42


def test_timestamp_builtins_reject_bad_handles_and_values():
    t = horus.Tensor([2], dtype="uint8")
    status = _fast.timestamp(0, t._info)  # NULL handle, plain info: the library is asked
    assert status < 0
    with pytest.raises(HorusValueError, match="NULL"):
        check(status)
    assert _fast.set_timestamp(0, 5, t._info) < 0
    for value in (-1, 2**64):
        with pytest.raises(ValueError, match="out of range"):
            t.timestamp_ns = value
    with pytest.raises(TypeError):
        t.timestamp_ns = 1.5
    with pytest.raises(TypeError):
        _fast.set_timestamp(t._h, 5)  # three arguments
    with pytest.raises(TypeError):
        _fast.timestamp(t._h, b"short")
    with pytest.raises(BufferError):
        _fast.set_timestamp(t._h, 5, bytes(256))  # an info it would write into must be writable
    assert t.timestamp_ns == 0  # nothing was written


def test_recv_fills_the_sample_object_it_made_before_waiting():
    topic = f"nd-{uuid.uuid4().hex[:8]}"
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image, wait="spin") as sub:
        assert sub.recv(0) is None
        spare = sub._next
        assert spare is not None and not hasattr(spare, "_h")  # no handle until a sample arrives
        assert sub.recv(0) is None and sub._next is spare  # kept while nothing arrives
        pub.send(horus.Image(2, 2, "mono8"))
        got = sub.recv(5)
        assert got is spare and got._h == got._info.handle and sub._next is None
        assert got.shape == (2, 2, 1) and got.is_read_only


_OFF_SCRIPT = """
import gc
import numpy as np
import horus
from horus import _fast
assert not _fast.NDARRAY and _fast.to_numpy is None
t = horus.Tensor.from_numpy(np.arange(6, dtype=np.int16).reshape(2, 3))
a = t.to_numpy()
assert a.tolist() == [[0, 1, 2], [3, 4, 5]] and a.flags.writeable
t.timestamp_ns = 77
img = horus.Image.empty(2, 2, "mono8")
img.timestamp_ns = 78
assert (t.timestamp_ns, img.timestamp_ns, img._info.timestamp_ns) == (77, 78, 78)
try:
    t.timestamp_ns = -1
except ValueError:
    pass
else:
    raise AssertionError("no ValueError")
print("off ok", _fast.BUILTINS)
"""


@pytest.mark.parametrize("flag", ["HORUS_PY_NDARRAY", "HORUS_PY_BUILTINS"])
def test_the_forms_used_when_the_builtins_are_off(flag):
    from conftest import PYTHON_DIR

    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, **{flag: "0"})
    r = subprocess.run([sys.executable, "-c", _OFF_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"off ok {flag == 'HORUS_PY_NDARRAY'}" in r.stdout


def test_to_numpy_and_timestamp_ns_are_installed_in_c():
    assert type(horus.PoolBacked.__dict__["to_numpy"]).__name__ == "method_descriptor"
    assert type(horus.PoolBacked.__dict__["timestamp_ns"]).__name__ == "getset_descriptor"
    with pytest.raises(TypeError):
        horus.PoolBacked.to_numpy(object())  # only on samples
    with pytest.raises(TypeError):
        _fast.install(1, check)  # not a class
    img = horus.Image.empty(2, 3, "rgb8")
    with pytest.raises(TypeError):
        del img.timestamp_ns
    bad = object.__new__(horus.Tensor)  # a sample with a NULL handle and a plain info
    bad._info = TensorInfo.from_buffer_copy(horus.Tensor([2])._info)
    bad._h = 0
    with pytest.raises(HorusValueError, match="NULL"):  # the status raised through check
        bad.timestamp_ns
    with pytest.raises(HorusValueError, match="NULL"):
        bad.timestamp_ns = 3
    bare = object.__new__(horus.Tensor)  # no _info at all
    with pytest.raises(AttributeError):
        bare.to_numpy()
    with pytest.raises(AttributeError):
        bare.timestamp_ns
