"""Tensor, Image, PointCloud and DepthImage: pool-backed, zero-copy to NumPy/DLPack.

Constructors allocate a zero-filled slot; from_numpy() copies once into a new slot;
empty() is a loan (NumPy's `empty` convention): a slot whose old bytes are left as they
are, for publishers that overwrite every element -- a 6 MB empty() costs what a 64-byte
one does. The old bytes are of this pool, so of this namespace (HORUS_NAMESPACE) only.
"""
from __future__ import annotations

from collections import namedtuple
from ctypes import byref, c_double, c_int64

import numpy as np

from ._fast import LOAN_DEPTH, LOAN_IMAGE, LOAN_POINTCLOUD
from ._lib import lib, check
from ._sample import PoolBacked, _contiguous_bytes, _dtype_code, _pool_ptr, _register, _shape_tuple



class Tensor(PoolBacked):
    """An n-dimensional array (up to 6 axes) in a shared-memory pool slot.

    Tensor(shape, dtype="float32", pool=None) makes a zero-filled tensor.
    """

    __slots__ = ()

    def __init__(self, shape, dtype="float32", pool=None):
        shape = _shape_tuple(shape)
        dims = (c_int64 * max(len(shape), 1))(*shape)
        self._adopt(self._call_new(lib.horus_tensor_create, _pool_ptr(pool), dims, len(shape), _dtype_code(dtype)))

    @classmethod
    def empty(cls, shape, dtype="float32", pool=None) -> "Tensor":
        """A loan: like Tensor(shape, dtype) but the elements are not cleared (numpy.empty)."""
        shape = _shape_tuple(shape)
        dims = (c_int64 * max(len(shape), 1))(*shape)
        return cls._loaned(lib.horus_tensor_loan, _pool_ptr(pool), dims, len(shape), _dtype_code(dtype))

    @classmethod
    def from_numpy(cls, array, pool=None) -> "Tensor":
        """A new Tensor holding a copy of `array` (one memcpy into the slot; a
        non-contiguous array is first made contiguous by NumPy)."""
        arr, ptr = _contiguous_bytes(array)
        code = _dtype_code(arr.dtype)
        dims = (c_int64 * max(arr.ndim, 1))(*arr.shape)
        return cls._wrap(cls._call_new(lib.horus_tensor_from_bytes, _pool_ptr(pool), ptr, arr.nbytes,
                                       dims, arr.ndim, code))

    def as_tensor(self) -> "Tensor":
        return self


_register(0, Tensor)


class Image(PoolBacked):
    """A camera image: Image(height, width, encoding="rgb8"); as_tensor() is [H, W, C]."""

    __slots__ = ()
    ENCODINGS = ("rgb8", "bgr8", "rgba8", "bgra8", "mono8", "mono16",
                 "bayer_rggb8", "bayer_bggr8", "bayer_gbrg8", "bayer_grbg8")

    def __init__(self, height, width, encoding="rgb8", pool=None):
        self._adopt(self._call_new(lib.horus_image_create, _pool_ptr(pool), int(height), int(width),
                                   str(encoding).encode()))

    @classmethod
    def empty(cls, height, width, encoding="rgb8", pool=None) -> "Image":
        """A loan: like Image(height, width, encoding) but the pixels are not cleared
        (numpy.empty): fill them (to_numpy()[...] = ..., np.copyto) before sending."""
        return cls._loaned_received(LOAN_IMAGE, pool, int(height), int(width), str(encoding).encode())

    @classmethod
    def from_numpy(cls, array, encoding=None, pool=None) -> "Image":
        """A new Image holding a copy of an [H, W] or [H, W, C] array (one memcpy).
        Without `encoding`: uint8 with 1/3/4 channels -> mono8/rgb8/rgba8, uint16 -> mono16."""
        arr = np.asarray(array)
        if arr.ndim not in (2, 3):
            raise ValueError(f"horus: an image array is [H, W] or [H, W, C], got shape {arr.shape}")
        channels = 1 if arr.ndim == 2 else arr.shape[2]
        if encoding is None:
            if arr.dtype == np.uint16 and channels == 1:
                encoding = "mono16"
            elif arr.dtype == np.uint8:
                encoding = {1: "mono8", 3: "rgb8", 4: "rgba8"}.get(channels)
            if encoding is None:
                raise ValueError(f"horus: cannot infer an encoding for {arr.dtype} with {channels} channels")
        arr, ptr = _contiguous_bytes(arr)
        return cls._wrap(cls._call_new(lib.horus_image_from_bytes, _pool_ptr(pool), arr.shape[0], arr.shape[1],
                                       str(encoding).encode(), ptr, arr.nbytes))

    @property
    def height(self) -> int:
        return self._info.shape[0]

    @property
    def width(self) -> int:
        return self._info.shape[1]

    @property
    def channels(self) -> int:
        return self._info.shape[2]

    @property
    def encoding(self) -> str:
        return self._encoding_name()

    def _repr_extra(self):
        return f", encoding={self.encoding!r}"


_register(1, Image)

_FORMAT_BY_FIELDS = {3: "xyz", 4: "xyzi"}


class PointCloud(PoolBacked):
    """N points of float32 fields: PointCloud(count, fields=3) or a format name
    "xyz" / "xyzi" / "xyzrgb" (4 fields means xyzi). as_tensor() is [N, F]; cloud[i]
    is a view of point i."""

    __slots__ = ()

    def __init__(self, count, fields=3, pool=None):
        fmt = _format_name(fields)
        self._adopt(self._call_new(lib.horus_pointcloud_create, _pool_ptr(pool), int(count), fmt.encode()))

    @classmethod
    def empty(cls, count, fields=3, pool=None) -> "PointCloud":
        """A loan: like PointCloud(count, fields) but the points are not cleared (numpy.empty)."""
        return cls._loaned_received(LOAN_POINTCLOUD, pool, int(count), 0, _format_name(fields).encode())

    @classmethod
    def from_numpy(cls, array, format=None, pool=None) -> "PointCloud":
        """A new cloud holding a copy of an [N, F] float32 array (one memcpy)."""
        arr = np.asarray(array)
        if arr.ndim != 2:
            raise ValueError(f"horus: a point array is [N, F], got shape {arr.shape}")
        fmt = _format_name(format if format is not None else arr.shape[1])
        arr, ptr = _contiguous_bytes(arr, np.float32)
        return cls._wrap(cls._call_new(lib.horus_pointcloud_from_bytes, _pool_ptr(pool), arr.shape[0],
                                       fmt.encode(), ptr, arr.nbytes))

    @property
    def point_count(self) -> int:
        return self._info.shape[0]

    @property
    def fields_per_point(self) -> int:
        return self._info.shape[1]

    @property
    def format(self) -> str:
        return self._encoding_name()

    @property
    def is_xyz(self) -> bool:
        return self.format == "xyz"

    @property
    def has_intensity(self) -> bool:
        return self.format == "xyzi"

    @property
    def has_color(self) -> bool:
        return self.format == "xyzrgb"

    def _repr_extra(self):
        return f", format={self.format!r}"


def _format_name(fields) -> str:
    if isinstance(fields, str):
        return fields
    fmt = _FORMAT_BY_FIELDS.get(int(fields))
    if fmt is None:
        raise ValueError(f"horus: point clouds have 3 (xyz) or 4 (xyzi / xyzrgb) fields, got {fields}")
    return fmt


_register(2, PointCloud)

DepthStatistics = namedtuple("DepthStatistics", "valid_count min max mean")


class DepthImage(PoolBacked):
    """A depth map: DepthImage(height, width, dtype="float32") stores meters,
    dtype="uint16" stores millimeters. as_tensor() is [H, W] of the stored values."""

    __slots__ = ()

    def __init__(self, height, width, dtype="float32", pool=None):
        unit = _unit_for(dtype)
        self._adopt(self._call_new(lib.horus_depth_create, _pool_ptr(pool), int(height), int(width), unit.encode()))

    @classmethod
    def empty(cls, height, width, dtype="float32", pool=None) -> "DepthImage":
        """A loan: like DepthImage(height, width, dtype) but the pixels are not cleared (numpy.empty)."""
        return cls._loaned_received(LOAN_DEPTH, pool, int(height), int(width), _unit_for(dtype).encode())

    @classmethod
    def from_numpy(cls, array, pool=None) -> "DepthImage":
        """A new depth image holding a copy of an [H, W] float32 (meters) or uint16
        (millimeters) array (one memcpy)."""
        arr = np.asarray(array)
        if arr.ndim != 2:
            raise ValueError(f"horus: a depth array is [H, W], got shape {arr.shape}")
        unit = _unit_for(arr.dtype)
        arr, ptr = _contiguous_bytes(arr)
        return cls._wrap(cls._call_new(lib.horus_depth_from_bytes, _pool_ptr(pool), arr.shape[0], arr.shape[1],
                                       unit.encode(), ptr, arr.nbytes))

    @property
    def height(self) -> int:
        return self._info.shape[0]

    @property
    def width(self) -> int:
        return self._info.shape[1]

    @property
    def unit(self) -> str:
        return self._encoding_name()

    @property
    def is_meters(self) -> bool:
        return self.unit == "meters"

    @property
    def is_millimeters(self) -> bool:
        return self.unit == "millimeters"

    def get_depth(self, x: int, y: int) -> float:
        """Depth at column x, row y in meters (0 = no measurement)."""
        v = float(self.to_numpy()[y, x])
        return v if self.is_meters else v / 1000.0

    def set_depth(self, x: int, y: int, meters: float) -> None:
        """Stores a depth in meters (rounded to whole millimeters for uint16 storage)."""
        self.to_numpy()[y, x] = meters if self.is_meters else round(meters * 1000.0)

    def statistics(self) -> DepthStatistics:
        """Count, min, max and mean (meters) over valid pixels (finite, > 0)."""
        n, lo, hi, mean = c_int64(), c_double(), c_double(), c_double()
        check(lib.horus_depth_statistics(self._h, byref(n), byref(lo), byref(hi), byref(mean)))
        return DepthStatistics(n.value, lo.value, hi.value, mean.value)

    @property
    def min_depth(self) -> float:
        return self.statistics().min

    @property
    def max_depth(self) -> float:
        return self.statistics().max

    @property
    def mean_depth(self) -> float:
        return self.statistics().mean

    def _repr_extra(self):
        return f", unit={self.unit!r}"


def _unit_for(dtype) -> str:
    if isinstance(dtype, str) and dtype in ("meters", "millimeters", "m", "mm"):
        return dtype
    name = np.dtype(dtype).name
    if name == "float32":
        return "meters"
    if name == "uint16":
        return "millimeters"
    raise ValueError(f"horus: depth images are float32 (meters) or uint16 (millimeters), got {name}")


_register(3, DepthImage)
