"""The hottest C calls, as cheap to call as this process allows.

libhorus_c can make Python builtin functions over them (horus_py_builtin: it finds the
CPython API with dlsym, without linking libpython); a builtin call costs tens of
nanoseconds, a ctypes call a few hundred. When the library cannot reach CPython (an
unusual embedding), the same calls go through ctypes and capsules are built with
ctypes.pythonapi (see _dlpack).

- release(handle): drops one handle reference (status int).
- as_tensor_handle(handle): a new kind-Tensor handle sharing the slot; 0/None on failure.
- capsule(handle, versioned, copied): a new DLPack capsule owning a fresh export.
"""
from __future__ import annotations

from ._lib import check, pylib

_RELEASE, _AS_TENSOR, _DLPACK_CAPSULE = 0, 1, 2  # HORUS_PY_* in horus_py.h


def _builtin(which: int):
    try:
        return pylib.horus_py_builtin(which)
    except ValueError:  # NULL without an exception: CPython API not found
        return None


BUILTINS = bool(pylib.horus_tensor_dlpack_capsule_available())

if BUILTINS:
    release = _builtin(_RELEASE)
    as_tensor_handle = _builtin(_AS_TENSOR)
    _dlpack_capsule = _builtin(_DLPACK_CAPSULE)

    def capsule(handle: int, versioned: int, copied: int):
        """A new capsule ("dltensor_versioned" if versioned, else "dltensor") owning a fresh
        DLPack export of `handle` (copied: of a contiguous copy in a new slot)."""
        cap = _dlpack_capsule(handle, versioned, copied)
        if cap.__class__ is int:  # the export failed: a negative status
            check(cap)
        return cap
else:  # pragma: no cover - only where libhorus_c cannot find CPython
    from ._dlpack import capsule_ctypes as capsule

    release = pylib.horus_tensor_release
    as_tensor_handle = pylib.horus_tensor_as_tensor_handle
