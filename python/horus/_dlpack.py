"""DLPack capsules.

`capsule(handle, versioned, copied)` is the path used by __dlpack__: one call into
libhorus_c (horus_tensor_dlpack_capsule, through ctypes.PyDLL so the GIL stays held)
exports the tensor and wraps it in a PyCapsule whose destructor is C code. When the
library cannot find the CPython API in this process (an unusual embedding), the capsule
is built here instead with ctypes.pythonapi and a ctypes callback destructor (slower).

A capsule owns one DLPack export (which holds its own slot reference). A consumer
(numpy.from_dlpack, torch.from_dlpack, ...) renames the capsule to "used_dltensor" /
"used_dltensor_versioned" and calls the struct's deleter itself when done; a capsule
that is dropped without being consumed still carries its original name, so the
destructor below calls the deleter (through horus_dlpack_delete) only in that case.
"""
from __future__ import annotations

import ctypes

from ._lib import check, lib, pylib

LEGACY = b"dltensor"
VERSIONED = b"dltensor_versioned"

# PyCapsule keeps the name pointer, not a copy: keep the names alive for the process.
_LEGACY_NAME = ctypes.create_string_buffer(LEGACY)
_VERSIONED_NAME = ctypes.create_string_buffer(VERSIONED)

_Destructor = ctypes.CFUNCTYPE(None, ctypes.c_void_p)

_PyCapsule_New = ctypes.pythonapi.PyCapsule_New
_PyCapsule_New.restype = ctypes.py_object
_PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_void_p, _Destructor]

_PyCapsule_IsValid = ctypes.pythonapi.PyCapsule_IsValid
_PyCapsule_IsValid.restype = ctypes.c_int
_PyCapsule_IsValid.argtypes = [ctypes.c_void_p, ctypes.c_char_p]

_PyCapsule_GetPointer = ctypes.pythonapi.PyCapsule_GetPointer
_PyCapsule_GetPointer.restype = ctypes.c_void_p
_PyCapsule_GetPointer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]

_delete = lib.horus_dlpack_delete


def _make_destructor(name: bytes, versioned: int):
    def destructor(capsule):
        # Runs inside capsule deallocation: never raise. IsValid is false once a
        # consumer renamed the capsule (it then owns the deleter call).
        try:
            if _PyCapsule_IsValid(capsule, name):
                ptr = _PyCapsule_GetPointer(capsule, name)
                if ptr:
                    _delete(ptr, versioned)
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    return _Destructor(destructor)


# Module-level: the C callbacks must outlive every capsule.
_LEGACY_DESTRUCTOR = _make_destructor(LEGACY, 0)
_VERSIONED_DESTRUCTOR = _make_destructor(VERSIONED, 1)


def legacy_capsule(managed_ptr: int):
    """A "dltensor" capsule around a DLManagedTensor*."""
    return _PyCapsule_New(managed_ptr, ctypes.addressof(_LEGACY_NAME), _LEGACY_DESTRUCTOR)


def versioned_capsule(managed_ptr: int):
    """A "dltensor_versioned" capsule around a DLManagedTensorVersioned*."""
    return _PyCapsule_New(managed_ptr, ctypes.addressof(_VERSIONED_NAME), _VERSIONED_DESTRUCTOR)


def capsule_name(capsule) -> bytes:
    """The capsule's current name (for tests)."""
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype = ctypes.c_char_p
    get_name.argtypes = [ctypes.py_object]
    return get_name(capsule)


_c_capsule = pylib.horus_tensor_dlpack_capsule


def _capsule_ctypes(handle: int, versioned: int, copied: int):
    """The fallback: export with one call, then PyCapsule_New through ctypes.pythonapi."""
    out = ctypes.c_void_p()
    if versioned:
        check(lib.horus_tensor_to_dlpack_versioned(handle, copied, ctypes.byref(out)))
        return versioned_capsule(out.value)
    check(lib.horus_tensor_to_dlpack(handle, copied, ctypes.byref(out)))
    return legacy_capsule(out.value)


def _capsule_c(handle: int, versioned: int, copied: int):
    """One call: the library exports and makes the capsule (C destructor)."""
    cap = _c_capsule(handle, versioned, copied)
    if cap.__class__ is int:  # the export failed: a negative status
        check(cap)
    return cap


# capsule(handle, versioned, copied): a new capsule ("dltensor_versioned" if versioned,
# else "dltensor") owning a fresh DLPack export of `handle` (copied = 1: of a contiguous
# copy in a new slot). C_CAPSULES tells which implementation is in use.
C_CAPSULES = bool(pylib.horus_tensor_dlpack_capsule_available())
capsule = _capsule_c if C_CAPSULES else _capsule_ctypes
