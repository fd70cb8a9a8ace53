"""DLPack capsules built with ctypes.pythonapi: the fallback of _fast.capsule, used only
when libhorus_c cannot find the CPython API in this process (there, one builtin call
exports the tensor and makes a capsule with a C destructor).

A capsule owns one DLPack export (which holds its own slot reference). A consumer
(numpy.from_dlpack, torch.from_dlpack, ...) renames the capsule to "used_dltensor" /
"used_dltensor_versioned" and calls the struct's deleter itself when done; a capsule
that is dropped without being consumed still carries its original name, so the
destructor below calls the deleter (through horus_dlpack_delete) only in that case.
"""
from __future__ import annotations

import ctypes

from ._lib import check, lib

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



def capsule_ctypes(handle: int, versioned: int, copied: int):
    """The fallback of _fast.capsule: export with one call, then PyCapsule_New through
    ctypes.pythonapi with a ctypes callback destructor."""
    out = ctypes.c_void_p()
    if versioned:
        check(lib.horus_tensor_to_dlpack_versioned(handle, copied, ctypes.byref(out)))
        return versioned_capsule(out.value)
    check(lib.horus_tensor_to_dlpack(handle, copied, ctypes.byref(out)))
    return legacy_capsule(out.value)
