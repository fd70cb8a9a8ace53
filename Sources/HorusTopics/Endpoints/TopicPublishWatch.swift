import Atomics
import CHorus

/// Sleeps until a topic is published (futex on the ring header's word), without a cursor and
/// without taking anything: lets a thread that serves several topics and other events (the DDS
/// bridge) sleep instead of polling. It counts as a sleeping waiter while it exists, so every
/// publish wakes it; a publish made between two `wait`s makes the next one return at once.
package final class TopicPublishWatch: @unchecked Sendable {
    private let ring: TopicRing
    private var seen: UInt32

    package init(ring: TopicRing) {
        self.ring = ring
        ring.beginWait()
        seen = ring.futexWord.load(ordering: .sequentiallyConsistent)
    }

    deinit { ring.endWait() }

    /// True when the topic was published since the last call that returned true (waiting up to
    /// `timeoutNs`, at most 50 ms per call so the caller can check for a stop); false on timeout.
    package func wait(timeoutNs: Int64) -> Bool {
        var now = ring.futexWord.load(ordering: .sequentiallyConsistent)
        if now == seen {
            _ = horus_futex_wait(ring.futexWordPointer, seen, Swift.max(0, Swift.min(timeoutNs, 50_000_000)))
            now = ring.futexWord.load(ordering: .sequentiallyConsistent)
        }
        guard now != seen else { return false }
        seen = now
        return true
    }
}

extension Subscriber {
    /// A watch on this subscriber's topic (see `TopicPublishWatch`).
    package func publishWatch() -> TopicPublishWatch { TopicPublishWatch(ring: ring) }
}
