"""Encoding and point-format names cross the C ABI as C strings, matched without forming a
Swift String on the loan path; the match stays ASCII case-insensitive, like the String path."""
import pytest

import horus


@pytest.mark.parametrize("make", [horus.Image, horus.Image.empty])
def test_image_encodings_match_case_insensitively(make):
    for given, name, channels in [("rgb8", "rgb8", 3), ("RGB8", "rgb8", 3), ("Mono16", "mono16", 1),
                                  ("bgra8", "bgra8", 4), ("BAYER_RGGB8", "bayer_rggb8", 1)]:
        img = make(4, 6, given)
        assert img.encoding == name and img.shape == (4, 6, channels), given


@pytest.mark.parametrize("make", [horus.PointCloud, horus.PointCloud.empty])
def test_point_formats_match_case_insensitively(make):
    assert make(5, "XYZRGB").format == "xyzrgb"
    assert make(5, "xyzi").format == "xyzi"


def test_near_misses_are_refused_with_the_name():
    for bad in ["rgb", "rgb8 ", "rgb88", "", "mono\u0131"]:
        with pytest.raises(ValueError, match="unknown image encoding"):
            horus.Image.empty(2, 2, bad)
    with pytest.raises(ValueError, match="unknown point format 'xyz_'"):
        horus.PointCloud.empty(3, "xyz_")
