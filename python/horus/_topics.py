"""Topics: horus.Publisher and horus.Subscriber over typed shared-memory rings.

A topic carries one of the four pool-backed types (Tensor, Image, PointCloud,
DepthImage). Publishing writes only the sample's 144-byte descriptor into the ring;
a received sample is a read-only view of the publisher's slot (zero-copy) holding its
own slot reference, so it stays valid however far the ring moves on. Topics live in
namespace HORUS_NAMESPACE and are shared with Swift programs and horus-run graphs of
the same namespace.
"""
from __future__ import annotations

import ctypes
import math
import time
from ctypes import addressof, byref, c_int64, c_uint64, c_void_p

from . import _fast
from ._lib import HorusError, Received, check, lib
from ._sample import PoolBacked, _kind_classes

TIMEOUT = 1  # HORUS_TIMEOUT
WAIT_POLICIES = {"spin": 0, "block": 1, "spin_then_block": 2, "hybrid": 2}
_SLICE_MS = 200  # an unbounded wait returns to Python this often (Ctrl-C stays responsive)


class SubscriberStats(ctypes.Structure):
    """horus_subscriber_stats_t."""

    _fields_ = [("received", c_uint64), ("dropped", c_uint64), ("rejected", c_uint64),
                ("backlog", c_uint64), ("published", c_uint64)]

    def as_dict(self):
        return {name: getattr(self, name) for name, _ in self._fields_}


def _kind_of(msg_type) -> tuple:
    """(kind code, class) for a type given as a class or a name."""
    if isinstance(msg_type, str):
        for code, klass in _kind_classes.items():
            if klass.__name__ == msg_type:
                return code, klass
    elif isinstance(msg_type, type) and issubclass(msg_type, PoolBacked) and msg_type in _kind_classes.values():
        return msg_type._kind, msg_type
    names = ", ".join(k.__name__ for k in _kind_classes.values())
    raise TypeError(f"horus: topics carry {names}; got {msg_type!r}")


def _timeout_ms(timeout) -> int:
    if timeout is None:
        return -1
    if timeout.__class__ is int and 0 <= timeout <= 1 << 40:
        return timeout * 1000
    t = float(timeout)
    if t != t or t < 0:
        raise ValueError(f"horus: timeout must be >= 0 seconds or None, got {timeout!r}")
    return min(int(math.ceil(t * 1000.0)), 1 << 62)


def topic_type(topic: str):
    """The type name recorded by an existing topic ("Image", "Pose", ...) or None."""
    buf = ctypes.create_string_buffer(64)
    check(lib.horus_topic_type_name(str(topic).encode(), buf, 64))
    return buf.value.decode() or None


class _Endpoint:
    __slots__ = ("_p", "topic", "type", "__weakref__")
    _destroy = None

    def _handle(self):
        p = self._p
        if not p:
            raise ValueError(f"horus: {type(self).__name__} of topic {self.topic!r} is closed")
        return p

    @property
    def type_name(self) -> str:
        """The message type recorded by the topic."""
        buf = ctypes.create_string_buffer(64)
        check(lib.horus_endpoint_type_name(self._handle(), buf, 64))
        return buf.value.decode()

    @property
    def closed(self) -> bool:
        return not self._p

    def close(self) -> None:
        """Leaves the topic (idempotent). Samples already received stay valid."""
        p = getattr(self, "_p", None)
        if p:
            self._p = None
            type(self)._destroy(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self):
        state = "closed" if not self._p else "open"
        return f"horus.{type(self).__name__}({self.topic!r}, {self.type.__name__}, {state})"


def _capacity(capacity) -> int:
    """The C ABI's capacity argument: 0 takes an existing ring's."""
    if capacity is None:
        return 0
    if int(capacity) < 1:
        raise ValueError(f"horus: capacity must be at least 1 (or None), got {capacity!r}")
    return int(capacity)


class Publisher(_Endpoint):
    """Publisher(topic, type, capacity=None): publishes samples of `type` (horus.Image, ...).

    `capacity` (ring entries, rounded up to a power of two) sizes the ring when this call
    creates the topic; for an existing topic it must equal the ring's (horus.TopicError
    names both). None takes the existing ring's (16 when creating).
    pub.loan(...) gives an unzeroed sample to fill (the cheap way to publish a fresh
    frame); pub.send(sample) never copies and never blocks.
    """

    __slots__ = ()
    _destroy = staticmethod(lib.horus_publisher_destroy)

    def __init__(self, topic: str, type=None, capacity=None):
        self._p = None
        if type is None:
            raise TypeError("horus: Publisher(topic, type): give the message type, e.g. horus.Image")
        kind, self.type = _kind_of(type)
        self.topic = str(topic)
        out = c_void_p()
        check(lib.horus_publisher_create(self.topic.encode(), kind, _capacity(capacity), byref(out)))
        self._p = out.value

    def loan(self, *args, **kwargs) -> PoolBacked:
        """A loaned sample of this topic's type to fill and send: `type.empty(*args)`
        (e.g. pub.loan(480, 640, "rgb8") for an Image topic). Its bytes are not cleared
        (numpy.empty): write every element before send()."""
        return self.type.empty(*args, **kwargs)

    def send(self, sample: PoolBacked) -> None:
        """Publishes `sample` (zero-copy: subscribers see this very slot). One C call (a
        builtin, see _fast)."""
        if sample.__class__ is not self.type and not isinstance(sample, self.type):
            got = type(sample).__name__
            raise TypeError(f"horus: topic {self.topic!r} carries {self.type.__name__}, cannot publish a {got}")
        status = _publish(self._p or self._handle(), sample._h)
        if status:
            check(status)

    publish = send

    @property
    def published(self) -> int:
        """Samples this publisher published."""
        out = c_uint64()
        check(lib.horus_publisher_published(self._handle(), byref(out)))
        return out.value

    @property
    def subscriber_count(self) -> int:
        """Subscribers attached to the topic in all live processes."""
        out = c_int64()
        check(lib.horus_publisher_subscriber_count(self._handle(), byref(out)))
        return out.value

    def wait_for_subscribers(self, n: int = 1, timeout: float = 10.0) -> bool:
        """Waits until at least n subscribers are attached; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.subscriber_count < n:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)
        return True


class Subscriber(_Endpoint):
    """Subscriber(topic, type, history=0, capacity=None, wait="block"): receives samples.

    - capacity: as for Publisher (None: the existing ring's, 16 when creating).

    - history=K first delivers up to the K newest samples already published.
    - wait: "block" (futex sleep, no CPU while idle), "spin" (busy-poll, lowest latency)
      or "spin_then_block".
    - recv(timeout=1.0) returns the next sample (a read-only view, zero-copy) or None on
      timeout; timeout=None waits forever; `for s in sub:` blocks for each next sample.
    - dropped counts samples lost because this subscriber fell more than the ring's
      capacity behind.
    """

    # _next: the sample object the next receive fills (made before it waits); _spin: the
    # wait policy is "spin" (recv waits in slices, see there).
    __slots__ = ("_next", "_spin")
    _destroy = staticmethod(lib.horus_subscriber_destroy)

    def __init__(self, topic: str, type=None, history: int = 0, capacity=None, wait: str = "block"):
        self._p = None
        self._next = None
        self._spin = wait == "spin"
        if type is None:
            raise TypeError("horus: Subscriber(topic, type): give the message type, e.g. horus.Image")
        kind, self.type = _kind_of(type)
        self.topic = str(topic)
        if wait not in WAIT_POLICIES:
            raise ValueError(f"horus: wait must be one of {', '.join(WAIT_POLICIES)}, got {wait!r}")
        out = c_void_p()
        check(lib.horus_subscriber_create(self.topic.encode(), kind, int(history), _capacity(capacity),
                                          WAIT_POLICIES[wait], byref(out)))
        self._p = out.value

    def recv(self, timeout=1.0):
        """The next sample, or None when nothing arrives within `timeout` seconds.

        One C call per sample (a builtin, see _fast): it waits (GIL released), takes the
        sample and writes its handle and geometry into the Received of a sample object
        made before the wait (kept for the next call when nothing arrives), so between the
        wake-up and the return only the handle (the call's result) is stored. A "spin"
        subscriber spins in slices of that call (each about a thousand polls), the GIL
        released in each.
        """
        ms = _timeout_ms(timeout)
        p = self._p
        if not p:
            p = self._handle()  # raises: closed
        obj = self._next
        if obj is None:
            obj = _new(self.type)
            obj._info = Received()
            obj._np_base = None  # set: the DLPack to_numpy's lookup of it then raises nothing internally
        else:
            self._next = None  # taken: a recv in another thread makes its own
        address = addressof(obj._info)
        if ms and self._spin:
            # Spinning: in slices of about a thousand polls in C (GIL released), so this
            # loop, the GIL hand-back and the code after the wake-up stay in the caches; a
            # wait spent wholly in C came back about 2x slower (python -m horus.bench pubsub).
            deadline = _mono() + ms * 1_000_000 if ms > 0 else -1
            while True:
                got = _receive_slice(p, address)
                if got != TIMEOUT or 0 <= deadline <= _mono():
                    break
                p = self._p or self._handle()
        elif ms < 0:  # forever, in slices so signals (Ctrl-C) are handled between them
            while True:
                got = _receive(p, _SLICE_MS, address)
                if got != TIMEOUT:
                    break
                p = self._handle()
        else:
            got = _receive(p, ms, address)
        if got > TIMEOUT:  # the new handle (no ctypes field read after the wake-up)
            obj._h = got
            return obj
        self._next = obj  # for the next call
        if got < 0:
            check(got)
        return None

    receive = recv

    def try_recv(self):
        """The next sample if one is ready, else None (never waits)."""
        return self.recv(0)

    def __iter__(self):
        return self

    def __next__(self):
        return self.recv(None)

    def stats(self) -> dict:
        """received, dropped, rejected, backlog and published counters."""
        s = SubscriberStats()
        check(lib.horus_subscriber_stats(self._handle(), byref(s)))
        return s.as_dict()

    @property
    def dropped(self) -> int:
        return self.stats()["dropped"]

    @property
    def received(self) -> int:
        return self.stats()["received"]

    @property
    def backlog(self) -> int:
        return self.stats()["backlog"]


_receive = _fast.receive  # releases the GIL while it waits
_receive_slice = _fast.receive_slice
_mono = time.monotonic_ns
_publish = _fast.publish
_new = object.__new__

__all__ = ["Publisher", "Subscriber", "SubscriberStats", "topic_type", "HorusError"]
