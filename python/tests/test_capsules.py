"""DLPack capsules made in C (horus_py_dlpack_capsule) and their ctypes fallback:
each capsule owns one export, the destructor calls the deleter exactly once when the
capsule was never consumed, and never when a consumer took it over."""
import gc

import numpy as np
import pytest

import horus
from horus import _dlpack, _fast


def _slots():
    gc.collect()
    return horus.Pool.default().slots_in_use


class _Producer:
    """Hands a prepared capsule to numpy.from_dlpack and keeps a reference to it."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack_device__(self):
        return (1, 0)

    def __dlpack__(self, **kw):
        return self.capsule


def test_capsules_are_made_in_c():
    assert _fast.BUILTINS  # a CPython process: the library found the C API
    cap = horus.Tensor([4]).__dlpack__(max_version=(1, 0))
    assert type(cap).__name__ == "PyCapsule"
    assert _dlpack.capsule_name(cap) == b"dltensor_versioned"


@pytest.mark.parametrize("max_version", [None, (1, 0)])
def test_unconsumed_capsules_release_their_reference_once(max_version):
    before = _slots()
    t = horus.Tensor([256], dtype="uint8")
    t.to_numpy()[:] = 7
    keep = t.to_numpy()  # a second holder of the slot
    for _ in range(50):  # fresh capsules, dropped unconsumed: one deleter call each
        t.__dlpack__(max_version=max_version)
    caps = [t.__dlpack__(max_version=max_version) for _ in range(3)]
    del t
    gc.collect()
    assert _slots() == before + 1  # the view and the capsules hold it
    del keep
    gc.collect()
    assert _slots() == before + 1  # the capsules alone still hold it (their own reference)
    del caps
    assert _slots() == before  # the last capsule's destructor returned the slot
    for _ in range(100):  # an extra release would have freed the slot early or corrupt the pool
        x = horus.Tensor([256], dtype="uint8")
        x.to_numpy()[:] = 1
        del x
    assert _slots() == before


@pytest.mark.parametrize("versioned", [0, 1])
def test_consumed_capsule_is_not_deleted_by_its_destructor(versioned):
    before = _slots()
    t = horus.Tensor.from_numpy(np.arange(64, dtype=np.float32))
    p = _Producer(t.__dlpack__(max_version=(1, 0) if versioned else None))
    arr = np.from_dlpack(p)
    renamed = b"used_dltensor_versioned" if versioned else b"used_dltensor"
    assert _dlpack.capsule_name(p.capsule) == renamed
    del p  # the renamed capsule dies: its destructor must leave the export to numpy
    del t
    gc.collect()
    for _ in range(100):  # churn the size class: the slot must not have been returned
        x = horus.Tensor([64], dtype="float32")
        x.to_numpy()[:] = -1
        del x
    np.testing.assert_array_equal(arr, np.arange(64, dtype=np.float32))
    assert _slots() == before + 1
    del arr  # numpy calls the deleter: exactly one release
    assert _slots() == before


def test_copy_capsule_owns_a_new_slot():
    before = _slots()
    t = horus.Tensor([8])
    cap = t.__dlpack__(max_version=(1, 0), copy=True)
    assert _slots() == before + 2
    del t
    assert _slots() == before + 1
    del cap
    assert _slots() == before


def test_numpy_reads_c_capsules_of_strided_views():
    t = horus.Tensor.from_numpy(np.arange(24, dtype=np.int32).reshape(4, 6))
    v = t[1:4, ::2]
    a = np.from_dlpack(v)
    np.testing.assert_array_equal(a, np.arange(24, dtype=np.int32).reshape(4, 6)[1:4, ::2])
    assert a.ctypes.data == v.data_ptr


def test_jax_reads_c_capsules():
    try:
        import jax.numpy as jnp
    except Exception as e:  # not installed or broken
        pytest.skip(f"jax is not importable: {e}")
    before = _slots()
    t = horus.Tensor.from_numpy(np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8))
    j = jnp.from_dlpack(t)
    np.testing.assert_allclose(np.asarray(j), t.to_numpy())
    del t, j
    gc.collect()
    assert _slots() == before


@pytest.mark.parametrize("versioned", [0, 1])
def test_ctypes_fallback_capsules(versioned):
    before = _slots()
    t = horus.Tensor.from_numpy(np.arange(16, dtype=np.float64))
    unused = _dlpack.capsule_ctypes(t._h, versioned, 0)
    assert _dlpack.capsule_name(unused) == (_dlpack.VERSIONED if versioned else _dlpack.LEGACY)
    del unused  # ctypes destructor: one deleter call
    arr = np.from_dlpack(_Producer(_dlpack.capsule_ctypes(t._h, versioned, 0)))
    del t
    gc.collect()
    np.testing.assert_array_equal(arr, np.arange(16, dtype=np.float64))
    assert _slots() == before + 1
    del arr
    assert _slots() == before
