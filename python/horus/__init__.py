"""horus: pool-backed Tensor, Image, PointCloud and DepthImage for zero-copy robotics graphs.

Samples live in shared-memory pools (namespace HORUS_NAMESPACE). to_numpy(), as_tensor()
and __dlpack__ are zero-copy; from_numpy() copies once into a pool slot. Topics
(publish/subscribe) are horus.Publisher / horus.Subscriber: only descriptors travel,
received samples are read-only zero-copy views of the publisher's slot.
"""
from ._lib import (HorusError, HorusIndexError, HorusMemoryError, HorusTopicError, HorusValueError, ReadOnlyError,
                   TopicTypeError, version)
from ._sample import Pool, PoolBacked
from ._types import DepthImage, DepthStatistics, Image, PointCloud, Tensor
from ._topics import Publisher, Subscriber, topic_type

__version__ = "0.1.0"

__all__ = [
    "Tensor", "Image", "PointCloud", "DepthImage", "DepthStatistics", "Pool", "PoolBacked",
    "HorusError", "HorusValueError", "HorusIndexError", "HorusMemoryError", "ReadOnlyError", "version",
    "Publisher", "Subscriber", "topic_type", "HorusTopicError", "TopicTypeError",
]


def from_descriptor(data: bytes, read_only: bool = False) -> PoolBacked:
    """Validates 144 descriptor bytes and returns the sample as its own kind."""
    return PoolBacked.from_descriptor(data, read_only)


__all__.append("from_descriptor")
