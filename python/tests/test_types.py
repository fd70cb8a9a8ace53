import numpy as np
import pytest

import horus


def test_tensor_properties():
    t = horus.Tensor([2, 3, 4], dtype="int16")
    assert t.shape == (2, 3, 4) and t.ndim == 3 and t.dtype == "int16"
    assert t.nbytes == 48 and t.size == 24 and len(t) == 2 and t.kind == "Tensor"
    assert t.strides == (12, 4, 1) and t.to_numpy().strides == (24, 8, 2)
    assert not t.is_read_only and (t.to_numpy() == 0).all()
    assert horus.Tensor(5).shape == (5,)
    for name in ["uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64",
                 "float16", "float32", "float64", "bool"]:
        x = horus.Tensor([3], dtype=name)
        assert x.dtype == name and x.to_numpy().dtype == np.dtype(name)
    assert horus.Tensor([2], dtype=np.float64).dtype == "float64"
    assert "Tensor(shape=(2, 3, 4)" in repr(t)


def test_frame_id_and_timestamp_travel_in_descriptors():
    img = horus.Image(2, 3, "bgr8")
    assert img.frame_id == "" and img.timestamp_ns == 0
    img.frame_id = "camera_front"
    img.timestamp_ns = 1_700_000_000_123_456_789
    d = img.descriptor()
    assert len(d) == 144 and d[:2] == b"HD"
    rx = horus.Image.from_descriptor(d)
    assert rx.frame_id == "camera_front" and rx.timestamp_ns == 1_700_000_000_123_456_789
    assert rx.encoding == "bgr8" and rx.data_ptr == img.data_ptr
    generic = horus.from_descriptor(d)
    assert isinstance(generic, horus.Image)
    with pytest.raises(ValueError, match="not a PointCloud"):
        horus.PointCloud.from_descriptor(d)


def test_image_properties():
    img = horus.Image(480, 640, "rgb8")
    assert (img.height, img.width, img.channels, img.encoding) == (480, 640, 3, "rgb8")
    assert img.shape == (480, 640, 3) and img.dtype == "uint8" and img.nbytes == 480 * 640 * 3
    assert len(img) == 480 and img.kind == "Image"
    m16 = horus.Image(4, 5, "mono16")
    assert (m16.channels, m16.dtype, m16.nbytes) == (1, "uint16", 40)
    assert horus.Image(2, 2, "rgba8").channels == 4
    assert horus.Image(2, 2, "bayer_rggb8").channels == 1


def test_image_arithmetic_returns_tensor():
    img = horus.Image(2, 2, "mono8")
    img.to_numpy()[:] = 200
    bright = img + 50
    assert type(bright) is horus.Tensor and bright.shape == (2, 2, 1)
    assert (bright.to_numpy() == 250).all() and (img.to_numpy() == 200).all()
    assert ((img + 100).to_numpy() == 44).all()  # uint8 wraps like NumPy
    assert ((255 - img).to_numpy() == 55).all()
    half = img / 2
    assert half.dtype == "float32" and (half.to_numpy() == 100).all()
    t = horus.Tensor.from_numpy(np.array([1.0, 2.0, 3.0], np.float32))
    np.testing.assert_array_equal((t * t).to_numpy(), [1, 4, 9])
    np.testing.assert_array_equal((t - t * 2).to_numpy(), [-1, -2, -3])
    np.testing.assert_array_equal((2 * t).to_numpy(), [2, 4, 6])
    np.testing.assert_array_equal((6 / t).to_numpy(), [6, 3, 2])
    u = t
    u *= 10
    assert u is t and t.to_numpy().tolist() == [10, 20, 30]
    t -= t[0:3]
    assert t.to_numpy().tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="differ"):
        t + horus.Tensor([4])


def test_pointcloud_properties():
    c = horus.PointCloud(10000)
    assert len(c) == 10000 and c.point_count == 10000 and c.fields_per_point == 3
    assert c.is_xyz and not c.has_intensity and not c.has_color and c.format == "xyz"
    assert c.as_tensor().shape == (10000, 3) and c.dtype == "float32"
    ci = horus.PointCloud(5, 4)
    assert ci.has_intensity and ci.format == "xyzi" and ci.shape == (5, 4)
    cc = horus.PointCloud(5, "xyzrgb")
    assert cc.has_color and not cc.is_xyz and cc.shape == (5, 4)
    c.to_numpy()[0] = [1.5, 2.5, 3.5]
    p = c[0]
    assert isinstance(p, horus.Tensor) and p.to_numpy().tolist() == [1.5, 2.5, 3.5]
    assert c[-1].to_numpy().tolist() == [0, 0, 0]
    with pytest.raises(ValueError):
        horus.PointCloud(5, 6)


def test_depth_properties_and_statistics():
    d = horus.DepthImage(480, 640)
    assert d.is_meters and not d.is_millimeters and d.dtype == "float32" and d.unit == "meters"
    assert (d.height, d.width) == (480, 640) and d.as_tensor().shape == (480, 640)
    assert d.statistics() == horus.DepthStatistics(0, 0.0, 0.0, 0.0)
    a = d.to_numpy()
    a[0, 0], a[0, 1], a[0, 2], a[0, 3] = 1.0, 3.0, np.nan, -2.0
    s = d.statistics()
    assert s.valid_count == 2 and s.min == 1.0 and s.max == 3.0 and s.mean == 2.0
    assert (d.min_depth, d.max_depth, d.mean_depth) == (1.0, 3.0, 2.0)
    mm = horus.DepthImage(2, 2, dtype="uint16")
    assert mm.is_millimeters and mm.dtype == "uint16"
    mm.set_depth(1, 0, 1.234)
    assert mm.to_numpy()[0, 1] == 1234 and mm.get_depth(1, 0) == pytest.approx(1.234)
    mm.to_numpy()[1, 1] = 2000
    s = mm.statistics()
    assert s.valid_count == 2 and s.min == pytest.approx(1.234) and s.max == 2.0


def test_from_numpy_copies_once():
    src = np.random.default_rng(1).integers(0, 255, (48, 64, 3), dtype=np.uint8)
    img = horus.Image.from_numpy(src)
    assert img.encoding == "rgb8"
    out = img.to_numpy()
    np.testing.assert_array_equal(out, src)
    assert not np.shares_memory(out, src)
    src[0, 0, 0] ^= 0xFF
    assert out[0, 0, 0] != src[0, 0, 0]

    assert horus.Image.from_numpy(np.zeros((4, 4), np.uint16)).encoding == "mono16"
    assert horus.Image.from_numpy(np.zeros((4, 4, 1), np.uint8), encoding="bayer_bggr8").encoding == "bayer_bggr8"
    t = horus.Tensor.from_numpy(np.arange(10, dtype=np.int64)[::2])  # non-contiguous input
    assert t.to_numpy().tolist() == [0, 2, 4, 6, 8]
    pc = horus.PointCloud.from_numpy(np.ones((7, 4), np.float32), format="xyzrgb")
    assert pc.has_color and len(pc) == 7
    assert horus.PointCloud.from_numpy(np.ones((7, 3), np.float32)).is_xyz
    dm = horus.DepthImage.from_numpy(np.full((3, 3), 500, np.uint16))
    assert dm.is_millimeters and dm.statistics().mean == pytest.approx(0.5)
    assert horus.DepthImage.from_numpy(np.ones((3, 3), np.float32)).is_meters
    scalar = horus.Tensor.from_numpy(np.float64(2.5))
    assert scalar.shape == () and scalar.to_numpy()[()] == 2.5


def test_errors_are_python_exceptions_with_horus_messages():
    with pytest.raises(horus.HorusValueError, match="negative extent -3"):
        horus.Tensor([2, -3])
    with pytest.raises(ValueError, match="at most 6"):
        horus.Tensor([1] * 7)
    with pytest.raises(ValueError, match="unsupported dtype"):
        horus.Tensor([2], dtype="complex64")
    with pytest.raises(horus.HorusValueError, match="unknown image encoding 'rgb9'"):
        horus.Image(2, 2, "rgb9")
    with pytest.raises(horus.HorusValueError, match="height -1"):
        horus.Image(-1, 2)
    with pytest.raises(horus.HorusValueError, match="unknown point format"):
        horus.PointCloud(3, "xyzw")
    with pytest.raises(ValueError, match="float32 .meters. or uint16"):
        horus.DepthImage(2, 2, dtype="int8")
    with pytest.raises(horus.HorusMemoryError, match="larger than its largest slot"):
        horus.Tensor([1 << 30], dtype="uint8")
    with pytest.raises(horus.HorusValueError, match="at most 23"):
        horus.Tensor([1]).frame_id = "x" * 40
    with pytest.raises(horus.HorusValueError, match="descriptor"):
        horus.from_descriptor(b"\0" * 10)
    with pytest.raises(horus.HorusValueError, match="magic"):
        horus.from_descriptor(b"\0" * 144)
    bad = bytearray(horus.Tensor([4]).descriptor())
    bad[33] = 9  # ndim
    with pytest.raises(horus.HorusValueError, match="ndim"):
        horus.from_descriptor(bytes(bad))
    with pytest.raises(ValueError, match="expected dtype float32"):
        horus.PointCloud.from_numpy(np.ones((3, 3), np.float64))
    with pytest.raises(ValueError):
        horus.Image.from_numpy(np.ones((2, 2, 3), np.float32))
    assert issubclass(horus.HorusIndexError, IndexError) and issubclass(horus.HorusError, Exception)


def test_huge_sizes_are_errors_not_crashes():
    with pytest.raises(horus.HorusValueError, match="too large"):
        horus.Image(4_000_000_000, 4_000_000_000, "rgb8")
    with pytest.raises(horus.HorusValueError, match="too large"):
        horus.Tensor([1 << 31, 1 << 31, 1 << 31])
    with pytest.raises(horus.HorusMemoryError, match="larger than its largest slot"):
        horus.DepthImage(100_000, 100_000)
    with pytest.raises(horus.HorusValueError, match="count"):
        horus.PointCloud(1 << 40)
