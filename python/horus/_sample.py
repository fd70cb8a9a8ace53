"""The pool-backed base class shared by Tensor, Image, PointCloud and DepthImage.

A Python object owns one reference to a C handle (horus_tensor_t*), which holds a
reference to the pool slot. Geometry is immutable per handle, so it is read once
(horus_tensor_info) when the object is made.

Zero-copy NumPy views (to_numpy) are made in C with NumPy's C-API, based on the sample
object (_fast.to_numpy); where that is not available, by NumPy's DLPack importer (NumPy
>= 2.1: the export holds its own slot reference and flags received samples read-only) or,
otherwise, as ndarrays over a ctypes byte array laid on the slot memory that carries a
reference to the handle. Either way a view keeps the slot alive after its source
variable is dropped, and can never read a recycled slot.
"""
from __future__ import annotations

import ctypes
import numbers
import operator
from ctypes import addressof, byref, c_double, c_int64, c_void_p

import numpy as np

from . import _fast
from ._lib import DTYPE_CODES, DTYPE_NAMES, KIND_NAMES, MAX_DIMS, Received, TensorInfo, check, lib, raise_last_error

_OP_ADD, _OP_SUB, _OP_MUL, _OP_DIV = 0, 1, 2, 3
_SUB_INDEX, _SUB_SLICE = 0, 1
_NP_DTYPES = [np.dtype(n) for n in DTYPE_NAMES]
_BOOL = DTYPE_CODES["bool"]
# NumPy >= 2.1 asks for versioned DLPack (with the read-only flag) in from_dlpack.
_NUMPY_VERSIONED_DLPACK = tuple(int(x) for x in np.__version__.split(".")[:2]) >= (2, 1)
_DESCRIPTOR_SIZE = 144
_kind_classes = {}  # kind code -> class, filled by subclasses
_release = _fast.release
_as_tensor_handle = _fast.as_tensor_handle
_capsule = _fast.dlpack_capsule  # a capsule, or a negative status (int)
_loan = _fast.loan
_timestamp = _fast.timestamp
_set_timestamp = _fast.set_timestamp
_new = object.__new__


class Pool:
    """A shared-memory pool of this namespace (HORUS_NAMESPACE), attached for the process."""

    __slots__ = ("_p", "name")

    def __init__(self, name: str = "default"):
        out = c_void_p()
        check(lib.horus_pool_open(name.encode(), byref(out)))
        self._p = out.value
        self.name = name

    @classmethod
    def default(cls) -> "Pool":
        p = cls.__new__(cls)
        out = c_void_p()
        check(lib.horus_pool_default(byref(out)))
        p._p, p.name = out.value, "(default)"
        return p

    @property
    def slots_in_use(self) -> int:
        out = c_int64()
        check(lib.horus_pool_slots_in_use(self._p, byref(out)))
        return out.value

    def __repr__(self):
        return f"horus.Pool({self.name!r})"


def _pool_ptr(pool):
    if pool is None:
        return None
    if isinstance(pool, str):
        pool = Pool(pool)
    return pool._p


def _dtype_code(dtype) -> int:
    name = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    if name not in DTYPE_CODES:
        try:
            name = np.dtype(name).name
        except TypeError:
            pass
    code = DTYPE_CODES.get(name)
    if code is None:
        raise ValueError(f"horus: unsupported dtype {dtype!r} (supported: {', '.join(DTYPE_NAMES)})")
    return code


def _shape_tuple(shape):
    if isinstance(shape, numbers.Integral):
        return (int(shape),)
    shape = tuple(operator.index(s) for s in shape)
    if len(shape) > MAX_DIMS:
        raise ValueError(f"horus: at most {MAX_DIMS} dimensions, got {len(shape)}")
    return shape


def _drop_handle(obj):
    """`__del__` of the handle-holding classes: releases the handle once (an object whose
    __init__ failed may have none); quiet at interpreter shutdown."""
    h = getattr(obj, "_h", None)
    if h:
        obj._h = None
        try:
            _release(h)
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


class _SlotRef:
    """Holds one handle reference for NumPy arrays over a slot (their buffer's owner), so the
    slot lives exactly as long as some array over it does, without a cycle through the
    horus object that made them."""

    __slots__ = ("_h",)

    def __init__(self, handle):
        check(lib.horus_tensor_retain(handle))
        self._h = handle

    __del__ = _drop_handle


class PoolBacked:
    """Common behaviour of the four pool-backed types (not instantiated directly)."""

    # _info: TensorInfo (geometry, read once); _np_base: the cached base array of
    # to_numpy(); _tinfo: the cached TensorInfo of as_tensor() results (kind Tensor).
    __slots__ = ("_h", "_info", "_np_base", "_tinfo", "__weakref__")
    _kind = -1

    # -- construction / lifetime -------------------------------------------------

    @classmethod
    def _wrap(cls, handle: int):
        """Adopts a +1 handle from the C ABI as an object of the handle's kind."""
        info = TensorInfo()
        status = lib.horus_tensor_info(handle, byref(info))
        if status < 0:
            lib.horus_tensor_release(handle)
            check(status)
        klass = cls if cls._kind == info.kind else _kind_classes.get(info.kind, cls)
        obj = object.__new__(klass)
        obj._h = handle
        obj._info = info
        return obj

    @staticmethod
    def _call_new(fn, *args) -> int:
        out = c_void_p()
        check(fn(*args, byref(out)))
        return out.value

    @classmethod
    def _loaned(cls, fn, *args):
        """empty() of the subclasses: a new object over the +1 handle a horus_*_loan call made."""
        obj = _new(cls)
        obj._adopt(cls._call_new(fn, *args))
        return obj

    @classmethod
    def _loaned_received(cls, kind, pool, a, b, text):
        """empty() of Image, DepthImage and PointCloud: one builtin call makes the loan and
        writes its handle, geometry and timestamp into a Received, kept as the info (so
        timestamp_ns is a field read, as for a received sample)."""
        r = Received()
        status = _loan(kind, _pool_ptr(pool) or 0, a, b, text, addressof(r))
        if status:
            check(status)
        obj = _new(cls)
        obj._h = r.handle
        obj._info = r
        return obj

    def _adopt(self, handle: int):
        """Used by __init__ of subclasses: take ownership of a fresh +1 handle."""
        info = TensorInfo()
        status = lib.horus_tensor_info(handle, byref(info))
        if status < 0:
            lib.horus_tensor_release(handle)
            check(status)
        self._h = handle
        self._info = info

    __del__ = _drop_handle

    # -- geometry and metadata -----------------------------------------------------

    @property
    def shape(self) -> tuple:
        i = self._info
        return tuple(i.shape[: i.ndim])

    @property
    def strides(self) -> tuple:
        """Strides in elements (DLPack convention); NumPy's byte strides are on to_numpy()."""
        i = self._info
        return tuple(i.strides[: i.ndim])

    @property
    def ndim(self) -> int:
        return self._info.ndim

    @property
    def dtype(self) -> str:
        return DTYPE_NAMES[self._info.dtype]

    @property
    def nbytes(self) -> int:
        return self._info.nbytes

    @property
    def size(self) -> int:
        return self._info.nbytes // self._info.itemsize

    @property
    def kind(self) -> str:
        return KIND_NAMES[self._info.kind]

    @property
    def is_read_only(self) -> bool:
        return bool(self._info.read_only)

    @property
    def data_ptr(self) -> int:
        """Address of element [0, ..., 0] in this process."""
        return self._info.data

    @property
    def frame_id(self) -> str:
        buf = ctypes.create_string_buffer(32)
        check(lib.horus_tensor_frame_id(self._h, buf, 32))
        return buf.value.decode("utf-8")

    @frame_id.setter
    def frame_id(self, value: str):
        check(lib.horus_tensor_set_frame_id(self._h, str(value).encode("utf-8")))

    @property
    def timestamp_ns(self) -> int:
        """Nanoseconds (the publisher's clock); a received or loaned sample carries it in
        its Received info (read without a call into the library)."""
        ns = _timestamp(self._h, self._info)
        if ns < 0:
            check(ns)
        return ns

    @timestamp_ns.setter
    def timestamp_ns(self, value: int):
        status = _set_timestamp(self._h, value, self._info)
        if status:
            check(status)

    def __len__(self) -> int:
        if self._info.ndim == 0:
            raise TypeError("len() of a 0-d horus tensor")
        return self._info.shape[0]

    # -- zero-copy views -----------------------------------------------------------

    def to_numpy(self) -> np.ndarray:
        """A NumPy view of the slot memory (zero-copy). Read-only for received samples.

        The array's base holds its own reference to the slot (released when the last
        array over it is gone), so the view stays valid, and the slot allocated, even
        after this object is dropped. The base array is built once per object; later
        calls return a new view of it. Where NumPy's C-API is usable, `_fast.install`
        (the end of this module) replaces this method with one C call whose array's base
        is the sample itself.
        """
        base = getattr(self, "_np_base", None)
        if base is None:
            base = self._build_numpy_base()
            self._np_base = base
        return base.view()

    def _build_numpy_base(self) -> np.ndarray:
        i = self._info
        nd = i.ndim
        dt = _NP_DTYPES[i.dtype]
        n = i.span_bytes
        if n and _NUMPY_VERSIONED_DLPACK and i.dtype != _BOOL:
            # NumPy's own importer (well under a microsecond): the capsule's export holds
            # a slot reference for as long as the array lives, and a received sample's
            # export carries DLPack's read-only flag, so NumPy makes the array read-only.
            return np.from_dlpack(self)
        if n == 0:
            arr = np.empty(tuple(i.shape[:nd]), dt)
        else:
            item = i.itemsize
            buf = (ctypes.c_char * n).from_address(i.data + i.span_start)
            buf._horus_owner = _SlotRef(self._h)  # keeps the slot alive while arrays exist
            arr = np.ndarray(tuple(i.shape[:nd]), dt, buf, -i.span_start,
                             tuple(s * item for s in i.strides[:nd]))
        if i.read_only:
            arr.flags.writeable = False
        return arr

    def __array__(self, dtype=None, copy=None):
        if copy:
            arr = self.to_numpy().copy()
            return arr if dtype is None else arr.astype(dtype, copy=False)
        arr = self.to_numpy()
        if dtype is not None and np.dtype(dtype) != arr.dtype:
            if copy is False:
                raise ValueError("horus: dtype conversion needs a copy")
            return arr.astype(dtype)
        return arr

    def as_tensor(self) -> "PoolBacked":
        """A Tensor sharing this sample's memory (zero-copy), with its own handle (and
        slot reference). One C call: the geometry is this sample's, read once per object."""
        h = _as_tensor_handle(self._h)
        if not h:
            raise_last_error()
        t = _new(_kind_classes[0])
        t._h = h
        t._info = self._tensor_info()
        return t

    def _tensor_info(self) -> TensorInfo:
        """This sample's TensorInfo as a plain Tensor's (kind 0, encoding 0), made once."""
        info = getattr(self, "_tinfo", None)
        if info is None:
            info = TensorInfo.from_buffer_copy(self._info)  # the prefix of a Received, too
            info.kind = 0
            info.encoding = 0
            self._tinfo = info
        return info

    def copy(self) -> "PoolBacked":
        """A contiguous Tensor copy in a new slot."""
        return _kind_classes[0]._wrap(self._call_new(lib.horus_tensor_copy, self._h))

    # -- DLPack --------------------------------------------------------------------

    def __dlpack_device__(self):
        return (1, 0)  # (kDLCPU, device 0)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """Exports a DLPack capsule (Python array-API DLPack protocol).

        - max_version >= (1, 0): a "dltensor_versioned" capsule (DLManagedTensorVersioned,
          with the read-only flag for received samples); otherwise a legacy "dltensor".
        - stream must be None (horus memory is CPU memory).
        - dl_device must be None or (1, 0).
        - copy=True exports a fresh copy in a new pool slot (flagged IS_COPIED in
          versioned capsules); copy=False / None export the slot itself (never copies).
        - A read-only sample cannot be exported as a legacy capsule (DLPack < 1.0 cannot
          say read-only) unless copy=True: BufferError.
        """
        if stream is not None:
            raise BufferError("horus: stream must be None for CPU memory")
        if dl_device is not None and tuple(dl_device) != (1, 0):
            raise BufferError(f"horus: cannot export to device {tuple(dl_device)}; memory is on CPU (1, 0)")
        if max_version is not None and max_version[0] >= 1:
            cap = _capsule(self._h, 1, 1 if copy else 0)
        elif copy:
            cap = _capsule(self._h, 0, 1)
        elif self._info.read_only:
            raise BufferError("horus: a read-only sample needs max_version >= (1, 0) (or copy=True) to export")
        else:
            cap = _capsule(self._h, 0, 0)
        if cap.__class__ is int:
            check(cap)
        return cap

    def to_torch(self):
        """A torch.Tensor sharing the memory (torch.from_dlpack)."""
        import torch

        return torch.from_dlpack(self)

    def to_jax(self):
        """A jax.Array from the memory via DLPack (zero-copy on CPU when JAX accepts the alignment)."""
        import jax.numpy as jnp

        # JAX asks for a legacy capsule; its arrays are immutable, so a read-only
        # sample may be handed over without the read-only flag.
        return jnp.from_dlpack(_ImmutableConsumerView(self) if self._info.read_only else self)

    # -- descriptors -----------------------------------------------------------------

    def descriptor(self) -> bytes:
        """The 144-byte descriptor naming this sample's slot, geometry, timestamp and frame id."""
        buf = ctypes.create_string_buffer(_DESCRIPTOR_SIZE)
        check(lib.horus_tensor_descriptor(self._h, buf, _DESCRIPTOR_SIZE))
        return buf.raw

    @classmethod
    def from_descriptor(cls, data: bytes, read_only: bool = False):
        """Validates descriptor bytes and returns the sample (of the descriptor's kind)."""
        data = bytes(data)
        out = c_void_p()
        check(lib.horus_descriptor_decode(data, len(data), 1 if read_only else 0, byref(out)))
        obj = PoolBacked._wrap(out.value)
        if cls is not PoolBacked and not isinstance(obj, cls):
            raise ValueError(f"horus: descriptor holds a {obj.kind}, not a {cls.__name__}")
        return obj

    # -- indexing ------------------------------------------------------------------

    def _subscript(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        nd = self._info.ndim
        if any(k is Ellipsis for k in key):
            pos = [j for j, k in enumerate(key) if k is Ellipsis]
            if len(pos) > 1:
                raise IndexError("horus: only one Ellipsis is allowed")
            fill = nd - (len(key) - 1)
            key = key[: pos[0]] + (slice(None),) * max(fill, 0) + key[pos[0] + 1:]
        if len(key) > nd:
            raise IndexError(f"horus: too many indices: {len(key)} for a {nd}-d tensor")
        spec = (c_int64 * (4 * len(key) or 1))()
        all_int = True
        for j, k in enumerate(key):  # key position j names axis j of this tensor
            if isinstance(k, slice):
                start, stop, step = k.indices(self._info.shape[j])
                if step <= 0:
                    raise IndexError("horus: negative slice steps are not supported (use to_numpy()[...])")
                spec[4 * j: 4 * j + 4] = [_SUB_SLICE, start, stop, step]
                all_int = False
            elif k is None:
                raise IndexError("horus: newaxis (None) is not supported (use to_numpy()[...])")
            else:
                try:
                    idx = operator.index(k)
                except TypeError:
                    raise IndexError(f"horus: unsupported index {k!r} (ints, slices and ... only)") from None
                spec[4 * j: 4 * j + 4] = [_SUB_INDEX, idx, 0, 0]
        return self._call_new(lib.horus_tensor_subscript, self._h, spec, len(key)), all_int and len(key) == nd

    def __getitem__(self, key):
        """Ints and slices (step > 0) give a Tensor view sharing memory; indexing every
        axis with ints gives the element as a Python scalar."""
        handle, scalar = self._subscript(key)
        view = _kind_classes[0]._wrap(handle)
        if scalar:
            return view.to_numpy()[()].item()
        return view

    def __setitem__(self, key, value):
        """Writes into the shared memory (NumPy assignment semantics)."""
        if isinstance(value, PoolBacked):
            value = value.to_numpy()
        self.to_numpy()[key] = value

    # -- arithmetic -------------------------------------------------------------------

    def _binary(self, other, op, reflected=False):
        if isinstance(other, PoolBacked):
            a, b = (other, self) if reflected else (self, other)
            h = self._call_new(lib.horus_tensor_op_tensor, a._h, op, b._h)
        elif isinstance(other, (numbers.Real, np.number, np.bool_)):
            h = self._call_new(lib.horus_tensor_op_scalar, self._h, op, float(other), 1 if reflected else 0)
        else:
            return NotImplemented
        return _kind_classes[0]._wrap(h)

    def _inplace(self, other, op):
        if isinstance(other, PoolBacked):
            check(lib.horus_tensor_iop_tensor(self._h, op, other._h))
        elif isinstance(other, (numbers.Real, np.number, np.bool_)):
            check(lib.horus_tensor_iop_scalar(self._h, op, float(other)))
        else:
            return NotImplemented
        return self

    def __add__(self, o): return self._binary(o, _OP_ADD)
    def __radd__(self, o): return self._binary(o, _OP_ADD, True)
    def __sub__(self, o): return self._binary(o, _OP_SUB)
    def __rsub__(self, o): return self._binary(o, _OP_SUB, True)
    def __mul__(self, o): return self._binary(o, _OP_MUL)
    def __rmul__(self, o): return self._binary(o, _OP_MUL, True)
    def __truediv__(self, o): return self._binary(o, _OP_DIV)
    def __rtruediv__(self, o): return self._binary(o, _OP_DIV, True)
    def __iadd__(self, o): return self._inplace(o, _OP_ADD)
    def __isub__(self, o): return self._inplace(o, _OP_SUB)
    def __imul__(self, o): return self._inplace(o, _OP_MUL)
    def __itruediv__(self, o): return self._inplace(o, _OP_DIV)

    def __repr__(self):
        return f"horus.{type(self).__name__}(shape={self.shape}, dtype={self.dtype}{self._repr_extra()})"

    def _repr_extra(self):
        return ""

    def _encoding_name(self) -> str:
        out = ctypes.c_char_p()
        check(lib.horus_tensor_encoding(self._h, byref(out)))
        return out.value.decode()


class _ImmutableConsumerView:
    """Exports a read-only sample's legacy capsule to a consumer known never to write (JAX)."""

    __slots__ = ("_s",)

    def __init__(self, sample):
        self._s = sample

    def __dlpack_device__(self):
        return (1, 0)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        if max_version is not None and tuple(max_version)[0] >= 1:
            return self._s.__dlpack__(stream=stream, max_version=max_version, dl_device=dl_device, copy=copy)
        if stream is not None:
            raise BufferError("horus: stream must be None for CPU memory")
        cap = _capsule(self._s._h, 0, 1 if copy else 0)
        if cap.__class__ is int:
            check(cap)
        return cap


if _fast.install is not None:  # to_numpy and timestamp_ns in C: no Python frame per call
    _fast.install(PoolBacked, check)


def _contiguous_bytes(array, dtype=None):
    """A C-contiguous ndarray for a one-memcpy copy-in (no copy when already contiguous)."""
    arr = np.asarray(array)
    if dtype is not None and arr.dtype != np.dtype(dtype):
        raise ValueError(f"horus: expected dtype {np.dtype(dtype).name}, got {arr.dtype.name}")
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)  # NumPy makes one contiguous copy first
    return arr, arr.__array_interface__["data"][0]


def _register(kind: int, klass):
    _kind_classes[kind] = klass
    klass._kind = kind
    return klass


__all__ = ["Pool", "PoolBacked", "c_double", "c_int64"]
