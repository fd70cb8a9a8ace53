"""Loading libhorus_c.so and declaring its C functions (see Sources/CHorus/include/horus_c_api.h).

The library is found in $HORUS_LIB_DIR, else beside this file (installed from a wheel: `pip
install ./python` builds and packages it), else in the Swift build directories next to
the package: <repo>/.build/release, <repo>/.build/debug (and the .build-py scratch
variants). Every C function returns an int status; `check` turns a negative status
into a Python exception carrying horus_last_error().
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, c_char_p, c_double, c_int32, c_int64, c_size_t, c_uint64, c_void_p

MAX_DIMS = 6
LIB_NAME = "libhorus_c.so"


class HorusError(Exception):
    """A horus C-ABI call failed; the message is horus_last_error()."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


# Status codes -> Python exception classes (all also HorusError subclasses).
class HorusValueError(HorusError, ValueError):
    pass


class HorusIndexError(HorusError, IndexError):
    pass


class HorusMemoryError(HorusError, MemoryError):
    pass


class ReadOnlyError(HorusError, ValueError):
    pass


class HorusTopicError(HorusError):
    """A topic could not be opened or used (bad name or capacity, damaged ring, ...)."""


class TopicTypeError(HorusError, TypeError):
    """The topic carries another message type; the message names both types."""


_EXCEPTIONS = {
    -1: HorusValueError,   # HORUS_E_INVALID_ARGUMENT
    -2: HorusMemoryError,  # HORUS_E_POOL
    -3: HorusValueError,   # HORUS_E_DESCRIPTOR
    -4: ReadOnlyError,     # HORUS_E_READ_ONLY
    -5: HorusIndexError,   # HORUS_E_INDEX
    -6: HorusValueError,   # HORUS_E_SHAPE
    -7: HorusValueError,   # HORUS_E_BUFFER
    -8: HorusTopicError,   # HORUS_E_TOPIC
    -9: TopicTypeError,    # HORUS_E_TYPE_MISMATCH
}


class TensorInfo(ctypes.Structure):
    """horus_tensor_info_t."""

    _fields_ = [
        ("data", c_void_p),
        ("ndim", c_int32),
        ("dtype", c_int32),
        ("itemsize", c_int32),
        ("kind", c_int32),
        ("encoding", c_int32),
        ("read_only", c_int32),
        ("shape", c_int64 * MAX_DIMS),
        ("strides", c_int64 * MAX_DIMS),
        ("nbytes", c_uint64),
        ("span_start", c_int64),
        ("span_bytes", c_uint64),
    ]


def _candidates():
    env = os.environ.get("HORUS_LIB_DIR")
    if env:
        yield os.path.join(env, LIB_NAME)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    # Installed from a wheel: the library was built and packaged beside this file.
    yield os.path.join(here, LIB_NAME)
    repo = os.path.dirname(os.path.dirname(here))  # python/horus -> python -> repo
    for build in (".build", ".build-py"):
        for config in ("release", "debug"):
            yield os.path.join(repo, build, config, LIB_NAME)


def _load():
    tried = []
    for path in _candidates():
        tried.append(path)
        if os.path.exists(path):
            return ctypes.CDLL(path)
    raise ImportError(
        f"horus: cannot find {LIB_NAME} (looked in {', '.join(tried)}); build it with "
        "`swift build -c release --product horus_c` or set HORUS_LIB_DIR"
    )


lib = _load()
lib.horus_last_error.restype = c_char_p
lib.horus_last_error.argtypes = []

_H = c_void_p             # horus_tensor_t* / horus_pool_t*
_HP = POINTER(c_void_p)   # horus_tensor_t**
_I64P = POINTER(c_int64)

_SIGNATURES = {
    "horus_version": [POINTER(c_char_p)],
    "horus_descriptor_size": [POINTER(c_size_t)],
    "horus_pool_open": [c_char_p, _HP],
    "horus_pool_default": [_HP],
    "horus_pool_slots_in_use": [_H, _I64P],
    "horus_tensor_create": [_H, _I64P, c_int32, c_int32, _HP],
    "horus_image_create": [_H, c_int64, c_int64, c_char_p, _HP],
    "horus_pointcloud_create": [_H, c_int64, c_char_p, _HP],
    "horus_depth_create": [_H, c_int64, c_int64, c_char_p, _HP],
    "horus_tensor_from_bytes": [_H, c_void_p, c_size_t, _I64P, c_int32, c_int32, _HP],
    "horus_image_from_bytes": [_H, c_int64, c_int64, c_char_p, c_void_p, c_size_t, _HP],
    "horus_pointcloud_from_bytes": [_H, c_int64, c_char_p, c_void_p, c_size_t, _HP],
    "horus_depth_from_bytes": [_H, c_int64, c_int64, c_char_p, c_void_p, c_size_t, _HP],
    "horus_tensor_retain": [_H],
    "horus_tensor_release": [_H],
    "horus_tensor_info": [_H, POINTER(TensorInfo)],
    "horus_tensor_data": [_H, POINTER(c_void_p)],
    "horus_tensor_ndim": [_H, POINTER(c_int32)],
    "horus_tensor_shape": [_H, _I64P, c_int32],
    "horus_tensor_strides": [_H, _I64P, c_int32],
    "horus_tensor_dtype": [_H, POINTER(c_int32)],
    "horus_tensor_nbytes": [_H, POINTER(c_uint64)],
    "horus_tensor_kind": [_H, POINTER(c_int32)],
    "horus_tensor_encoding": [_H, POINTER(c_char_p)],
    "horus_tensor_is_read_only": [_H, POINTER(c_int32)],
    "horus_tensor_timestamp": [_H, POINTER(c_uint64)],
    "horus_tensor_set_timestamp": [_H, c_uint64],
    "horus_tensor_frame_id": [_H, c_char_p, c_size_t],
    "horus_tensor_set_frame_id": [_H, c_char_p],
    "horus_depth_statistics": [_H, _I64P, POINTER(c_double), POINTER(c_double), POINTER(c_double)],
    "horus_tensor_index": [_H, c_int64, _HP],
    "horus_tensor_slice": [_H, c_int32, c_int64, c_int64, c_int64, _HP],
    "horus_tensor_subscript": [_H, _I64P, c_int32, _HP],
    "horus_tensor_as_tensor": [_H, _HP],
    "horus_tensor_copy": [_H, _HP],
    "horus_tensor_op_scalar": [_H, c_int32, c_double, c_int32, _HP],
    "horus_tensor_op_tensor": [_H, c_int32, _H, _HP],
    "horus_tensor_iop_scalar": [_H, c_int32, c_double],
    "horus_tensor_iop_tensor": [_H, c_int32, _H],
    "horus_tensor_descriptor": [_H, c_void_p, c_size_t],
    "horus_descriptor_decode": [c_void_p, c_size_t, c_int32, _HP],
    "horus_tensor_to_dlpack": [_H, c_int32, POINTER(c_void_p)],
    "horus_tensor_to_dlpack_versioned": [_H, c_int32, POINTER(c_void_p)],
    "horus_dlpack_delete": [c_void_p, c_int32],
    "horus_publisher_create": [c_char_p, c_int32, c_int64, _HP],
    "horus_publisher_publish": [_H, _H],
    "horus_publisher_published": [_H, POINTER(c_uint64)],
    "horus_publisher_subscriber_count": [_H, _I64P],
    "horus_publisher_destroy": [_H],
    "horus_subscriber_create": [c_char_p, c_int32, c_int64, c_int64, c_int32, _HP],
    "horus_subscriber_receive": [_H, c_int64, _HP],
    "horus_subscriber_stats": [_H, c_void_p],
    "horus_subscriber_destroy": [_H],
    "horus_topic_type_name": [c_char_p, c_char_p, c_size_t],
    "horus_endpoint_type_name": [_H, c_char_p, c_size_t],
}

for _name, _args in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.argtypes = _args
    _f.restype = c_int32


# The same library through ctypes.PyDLL: calls keep the GIL (no release/re-acquire, and
# required for functions that use the CPython API). Only for calls that never block.
pylib = ctypes.PyDLL(lib._name)
pylib.horus_tensor_release.argtypes = [_H]
pylib.horus_tensor_release.restype = c_int32
pylib.horus_tensor_dlpack_capsule_available.argtypes = []
pylib.horus_tensor_dlpack_capsule_available.restype = c_int32
pylib.horus_tensor_as_tensor_handle.argtypes = [_H]
pylib.horus_tensor_as_tensor_handle.restype = c_void_p
pylib.horus_py_builtin.argtypes = [c_int32]
pylib.horus_py_builtin.restype = ctypes.py_object


class Received(TensorInfo):
    """horus_received_t: a received sample's TensorInfo followed by its new handle
    (filled by horus_subscriber_receive_sample; kept as the sample's _info)."""

    _fields_ = [("handle", c_void_p)]


lib.horus_subscriber_receive_sample.argtypes = [_H, c_int64, c_void_p]  # address of a Received
lib.horus_subscriber_receive_sample.restype = c_int32


def last_error() -> str:
    msg = lib.horus_last_error()
    return msg.decode("utf-8", "replace") if msg else ""


def check(status: int) -> None:
    """Raises the exception for a negative status, with horus_last_error() as text."""
    if status < 0:
        raise _EXCEPTIONS.get(status, HorusError)(last_error(), status)


def raise_last_error(status: int = -1):
    """Raises the exception for `status` (default HORUS_E_INVALID_ARGUMENT) with
    horus_last_error() as text; for the fast paths that return NULL on failure."""
    raise _EXCEPTIONS.get(status, HorusError)(last_error() or "horus: call failed", status)


def version() -> str:
    out = c_char_p()
    check(lib.horus_version(ctypes.byref(out)))
    return out.value.decode()


# dtype names <-> horus_dtype codes (NumPy names).
DTYPE_NAMES = ["uint8", "int8", "uint16", "int16", "uint32", "int32",
               "uint64", "int64", "float16", "float32", "float64", "bool"]
DTYPE_CODES = {n: i for i, n in enumerate(DTYPE_NAMES)}
KIND_NAMES = ["Tensor", "Image", "PointCloud", "DepthImage"]
