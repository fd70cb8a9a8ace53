"""The hottest C calls, as cheap to call as this process allows.

libhorus_c can make Python builtin functions over them (horus_py_builtin: it finds the
CPython API with dlsym, without linking libpython); a builtin call costs tens of
nanoseconds, a ctypes call a few hundred. When the library cannot reach CPython (an
unusual embedding) or HORUS_PY_BUILTINS=0 is set, the same calls go through ctypes and
capsules are built with ctypes.pythonapi (see _dlpack).

- release(handle): drops one handle reference (status int).
- as_tensor_handle(handle): a new kind-Tensor handle sharing the slot; 0/None on failure.
- dlpack_capsule(handle, versioned, copied): a new DLPack capsule ("dltensor_versioned"
  if versioned, else "dltensor") owning a fresh export of `handle` (copied: of a
  contiguous copy in a new slot), or, if the export failed, its negative status (an int:
  pass it to _lib.check).
- receive(subscriber, timeout_ms, address): horus_subscriber_receive_sample into the
  Received at `address` (ctypes.addressof; the caller keeps it alive): the new handle (an
  int > 1) when a sample came, else the status (1: timeout; negative). The GIL is
  released while it waits.
- receive_slice(subscriber, address): receive with timeout 0 (same result), the GIL released: one slice
  of a spinning wait that Subscriber.recv loops over (about a thousand spins in the
  library for a spin subscriber).
- publish(publisher, handle): status of horus_publisher_publish (never blocks).
- loan(kind, pool, a, b, text, address): status of a new Image / DepthImage / PointCloud
  loan (LOAN_IMAGE: horus_image_loan(pool, a=height, b=width, text=encoding); LOAN_DEPTH:
  horus_depth_loan(pool, a, b, text=unit); LOAN_POINTCLOUD: horus_pointcloud_loan(pool,
  a=count, text=format)) whose info, handle and timestamp are written into the Received
  at `address`: one call where ctypes needs two. pool 0 is the default pool.
- to_numpy(sample, info): a NumPy array over the memory the TensorInfo / Received `info`
  describes, whose base is `sample` (made in C with NumPy's C-API: one call, no Python
  code); None when NumPy's C-API cannot be used (a NumPy with another ABI) or
  HORUS_PY_NDARRAY=0 is set: _sample then uses NumPy's DLPack importer.
- timestamp(handle, info): the timestamp (read from a Received info without a call into
  the library), or a negative status.
- set_timestamp(handle, ns, info): status of horus_tensor_set_timestamp, the copy in a
  Received info kept in step; ValueError for ns outside [0, 2**64).
- install(cls, check): puts to_numpy (a method descriptor) and timestamp_ns (a C property,
  raising a failure status through check) on the sample class: the same calls without a
  Python frame. Only with to_numpy.
"""
from __future__ import annotations

import os

from ._lib import DTYPE_NAMES, Received, lib, pylib

# HORUS_PY_* in horus_py.h
_RELEASE, _AS_TENSOR, _DLPACK_CAPSULE, _RECEIVE, _PUBLISH, _LOAN = 0, 1, 2, 3, 4, 5
_NUMPY_INIT, _TO_NUMPY, _TIMESTAMP, _SET_TIMESTAMP, _RECEIVE_SLICE, _INSTALL = 6, 7, 8, 9, 10, 11
LOAN_IMAGE, LOAN_DEPTH, LOAN_POINTCLOUD = 0, 1, 2  # HORUS_PY_LOAN_* in horus_py.h


def _builtin(which: int):
    try:
        return pylib.horus_py_builtin(which)
    except ValueError:  # NULL without an exception: CPython API not found
        return None


def _numpy_ready(numpy_init) -> bool:
    """Hands NumPy's C-API table (and NumPy's type number of each horus dtype) to the
    library; False when this NumPy's C-API cannot be used."""
    import importlib

    import numpy as np

    nums = tuple(np.dtype(n).num for n in DTYPE_NAMES)
    for module in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):  # NumPy 2, 1
        try:
            capsule = importlib.import_module(module)._ARRAY_API
        except (ImportError, AttributeError):
            continue
        return bool(numpy_init(capsule, nums))
    return False


# HORUS_PY_BUILTINS=0 forces the ctypes paths, HORUS_PY_NDARRAY=0 NumPy's DLPack importer
# for to_numpy (for tests and comparisons).
BUILTINS = os.environ.get("HORUS_PY_BUILTINS", "1") != "0" and bool(pylib.horus_tensor_dlpack_capsule_available())
NDARRAY = BUILTINS and os.environ.get("HORUS_PY_NDARRAY", "1") != "0" and _numpy_ready(_builtin(_NUMPY_INIT))

if BUILTINS:
    release = _builtin(_RELEASE)
    as_tensor_handle = _builtin(_AS_TENSOR)
    dlpack_capsule = _builtin(_DLPACK_CAPSULE)
    receive = _builtin(_RECEIVE)
    receive_slice = _builtin(_RECEIVE_SLICE)
    publish = _builtin(_PUBLISH)
    loan = _builtin(_LOAN)
    timestamp = _builtin(_TIMESTAMP)
    set_timestamp = _builtin(_SET_TIMESTAMP)
else:  # libhorus_c cannot find CPython, or HORUS_PY_BUILTINS=0
    from ._dlpack import capsule_ctypes as dlpack_capsule  # raises instead of returning a status

    release = pylib.horus_tensor_release
    as_tensor_handle = pylib.horus_tensor_as_tensor_handle
    def receive(subscriber, timeout_ms, address):
        """The ctypes form of the receive builtin (CDLL: releases the GIL)."""
        status = lib.horus_subscriber_receive_sample(subscriber, timeout_ms, address)
        return Received.from_address(address).handle if status == 0 else status

    def receive_slice(subscriber, address):
        """The ctypes form of the receive_slice builtin."""
        return receive(subscriber, 0, address)
    publish = lib.horus_publisher_publish

    def loan(kind, pool, a, b, text, address):
        """The ctypes form of the loan builtin: the loan call, then horus_tensor_info."""
        import ctypes

        h = ctypes.c_void_p()
        if kind == LOAN_IMAGE:
            status = lib.horus_image_loan(pool or None, a, b, text, ctypes.byref(h))
        elif kind == LOAN_DEPTH:
            status = lib.horus_depth_loan(pool or None, a, b, text, ctypes.byref(h))
        else:
            status = lib.horus_pointcloud_loan(pool or None, a, text, ctypes.byref(h))
        if status < 0:
            return status
        r = Received.from_address(address)
        status = lib.horus_tensor_info(h.value, ctypes.byref(r))
        if status < 0:
            lib.horus_tensor_release(h.value)
            return status
        r.handle, r.timestamp_ns = h.value, 0  # a new loan's timestamp
        return 0

    def timestamp(handle, info):
        """The ctypes form of the timestamp builtin."""
        import ctypes

        if info.__class__ is Received:
            return info.timestamp_ns
        out = ctypes.c_uint64()
        status = lib.horus_tensor_timestamp(handle, ctypes.byref(out))
        return status if status < 0 else out.value

    def set_timestamp(handle, ns, info):
        """The ctypes form of the set_timestamp builtin."""
        import operator

        ns = operator.index(ns)
        if ns < 0 or ns >= 1 << 64:
            raise ValueError("horus: timestamp_ns out of range for uint64")
        status = lib.horus_tensor_set_timestamp(handle, ns)
        if status >= 0 and info.__class__ is Received:
            info.timestamp_ns = ns
        return status


to_numpy = _builtin(_TO_NUMPY) if NDARRAY else None
# install(cls, check): cls.to_numpy and cls.timestamp_ns made in C (no Python frame per call);
# None where to_numpy is None.
install = _builtin(_INSTALL) if NDARRAY else None
