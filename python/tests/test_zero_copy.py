import gc

import numpy as np
import pytest

import horus
from horus import _dlpack


def test_numpy_view_as_tensor_and_dlpack_share_memory():
    t = horus.Tensor([4, 5], dtype="float32")
    a = t.to_numpy()
    b = t.as_tensor().to_numpy()
    c = np.from_dlpack(t)
    assert a.ctypes.data == b.ctypes.data == c.ctypes.data == t.data_ptr
    a[1, 2] = 3.5
    assert b[1, 2] == 3.5 and c[1, 2] == 3.5
    c[3, 4] = -1.0
    assert a[3, 4] == -1.0 and t[3, 4] == -1.0
    t[0, 0] = 9  # __setitem__ writes the slot
    assert c[0, 0] == 9


def test_domain_types_share_memory_with_their_tensor():
    img = horus.Image(6, 8, "rgb8")
    t = img.as_tensor()
    assert t.shape == (6, 8, 3) and t.dtype == "uint8"
    t[0:2] += 128  # in-place through a view writes shared memory
    assert (img.to_numpy()[0:2] == 128).all() and (img.to_numpy()[2:] == 0).all()
    np.from_dlpack(img)[5, 7, 2] = 77
    assert img.to_numpy()[5, 7, 2] == 77

    cloud = horus.PointCloud(100, "xyzi")
    cloud.to_numpy()[0] = [1, 2, 3, 4]
    assert list(cloud[0].to_numpy()) == [1, 2, 3, 4]
    assert cloud[0, 3] == 4.0
    depth = horus.DepthImage(3, 4)
    depth.as_tensor().to_numpy()[2, 3] = 1.25
    assert depth.get_depth(3, 2) == 1.25


def test_views_share_slot_and_geometry():
    t = horus.Tensor.from_numpy(np.arange(24, dtype=np.int32).reshape(2, 3, 4))
    ref = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    cases = [1, -1, (1, 2), (slice(None), 1), (Ellipsis, 0), (slice(0, 2), slice(None), slice(None, None, 2)),
             (1, slice(1, 3)), (slice(5, 1),)]
    for key in cases:
        v = t[key]
        assert isinstance(v, horus.Tensor)
        np.testing.assert_array_equal(v.to_numpy(), ref[key])
    assert t[1, 2, 3] == 23 and isinstance(t[1, 2, 3], int)
    v = t[:, 1]
    v += 100
    assert t.to_numpy()[0, 1, 0] == 104
    with pytest.raises(IndexError):
        t[::-1]
    with pytest.raises(IndexError, match="out of range"):
        t[2]
    with pytest.raises(IndexError, match="too many"):
        t[0, 0, 0, 0]


def test_view_outlives_source_through_pool_churn():
    pool = horus.Pool.default()
    src = horus.Tensor([512, 512], dtype="float32")  # 1 MiB slot class
    view = src.to_numpy()
    view[:] = 7.0
    dl = np.from_dlpack(horus.Tensor.from_numpy(np.full((256,), 3, np.uint8)))  # source dropped at once
    t_view = src[10:20]
    del src
    gc.collect()
    # Churn: allocate and free many tensors of the same size class, scribbling in each.
    for i in range(300):
        x = horus.Tensor([512, 512], dtype="float32")
        x.to_numpy()[:] = -1.0
        y = horus.Tensor([256], dtype="uint8")
        y.to_numpy()[:] = 0xFF
        del x, y
    assert (view == 7.0).all()
    assert (dl == 3).all()
    assert (t_view.to_numpy() == 7.0).all()
    in_use = pool.slots_in_use
    del view, dl, t_view
    gc.collect()
    assert pool.slots_in_use == in_use - 2  # the 1 MiB slot and the 256 B slot are returned


def test_slots_are_returned_when_everything_is_dropped():
    pool = horus.Pool.default()
    gc.collect()
    before = pool.slots_in_use
    t = horus.Tensor([1000])
    a = t.to_numpy()
    cap = t.__dlpack__(max_version=(1, 0))
    d = np.from_dlpack(t)
    v = t[1:5]
    del t
    assert pool.slots_in_use == before + 1
    del a, cap, d, v
    gc.collect()
    assert pool.slots_in_use == before


def test_capsule_kinds_and_names():
    t = horus.Tensor([3], dtype="float64")
    legacy = t.__dlpack__()
    assert _dlpack.capsule_name(legacy) == b"dltensor"
    versioned = t.__dlpack__(max_version=(1, 0))
    assert _dlpack.capsule_name(versioned) == b"dltensor_versioned"
    assert _dlpack.capsule_name(t.__dlpack__(max_version=(0, 8))) == b"dltensor"
    assert t.__dlpack_device__() == (1, 0)
    del legacy, versioned  # unconsumed: the destructor calls the deleter


class _Producer:
    """Forwards __dlpack__ while forcing one capsule kind (to drive numpy.from_dlpack)."""

    def __init__(self, t, versioned):
        self.t, self.versioned, self.capsule = t, versioned, None

    def __dlpack_device__(self):
        return self.t.__dlpack_device__()

    def __dlpack__(self, **kw):
        self.capsule = self.t.__dlpack__(max_version=(1, 0) if self.versioned else None)
        return self.capsule


@pytest.mark.parametrize("versioned", [False, True])
def test_numpy_from_dlpack_with_both_capsule_kinds(versioned):
    t = horus.Tensor.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4))
    p = _Producer(t, versioned)
    arr = np.from_dlpack(p)
    expected = b"used_dltensor_versioned" if versioned else b"used_dltensor"
    assert _dlpack.capsule_name(p.capsule) == expected  # consumed: numpy owns the deleter
    np.testing.assert_array_equal(arr, np.arange(12, dtype=np.float32).reshape(3, 4))
    assert arr.ctypes.data == t.data_ptr
    t[0, 0] = 42  # written through horus, read through the DLPack array
    assert arr[0, 0] == 42.0
    if versioned:  # NumPy makes legacy-capsule arrays read-only; versioned ones carry the flag
        arr[1, 1] = -3
        assert t[1, 1] == -3.0
    # Strided view through DLPack
    sub = np.from_dlpack(_Producer(t[:, 1:4:2], versioned))
    np.testing.assert_array_equal(sub, t.to_numpy()[:, 1:4:2])


def test_dlpack_arguments():
    t = horus.Tensor([2, 2])
    with pytest.raises(BufferError):
        t.__dlpack__(stream=1)
    with pytest.raises(BufferError):
        t.__dlpack__(dl_device=(2, 0))
    assert _dlpack.capsule_name(t.__dlpack__(dl_device=(1, 0), max_version=(1, 1))) == b"dltensor_versioned"
    copied = np.from_dlpack(_CopyProducer(t))
    copied[0, 0] = 5
    assert t[0, 0] == 0.0  # copy=True exported a separate slot
    # numpy passes copy=True through to the producer
    c2 = np.from_dlpack(t, copy=True)
    assert not np.shares_memory(c2, t.to_numpy())


class _CopyProducer:
    def __init__(self, t):
        self.t = t

    def __dlpack_device__(self):
        return (1, 0)

    def __dlpack__(self, **kw):
        return self.t.__dlpack__(max_version=(1, 0), copy=True)


def test_received_samples_are_read_only():
    img = horus.Image(4, 4, "mono8")
    img.to_numpy()[:] = 9
    rx = horus.Image.from_descriptor(img.descriptor(), read_only=True)
    assert rx.is_read_only
    a = rx.to_numpy()
    assert not a.flags.writeable and (a == 9).all()
    d = np.from_dlpack(rx)  # versioned capsule carries the read-only flag
    assert not d.flags.writeable
    with pytest.raises(BufferError):
        rx.__dlpack__()  # legacy capsules cannot say read-only
    assert _dlpack.capsule_name(rx.__dlpack__(copy=True)) == b"dltensor"
    with pytest.raises(horus.ReadOnlyError, match="read-only"):
        rx += 1
    with pytest.raises(ValueError):
        rx[0, 0] = 1
    assert rx[0:2].is_read_only
    out = rx + 1  # arithmetic on a read-only sample makes a new writable tensor
    assert not out.is_read_only and out[0, 0, 0] == 10
