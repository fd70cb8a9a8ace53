#if canImport(Glibc)
import Glibc
#endif

/// A condition variable used with a `Mutex` (worker queues that sleep until work
/// arrives). Heap-allocated for the same reason as `Mutex`: pthread objects must not move.
package final class ConditionVariable: @unchecked Sendable {
    private let raw: UnsafeMutablePointer<pthread_cond_t>

    package init() {
        raw = .allocate(capacity: 1)
        raw.initialize(to: pthread_cond_t())
        let rc = pthread_cond_init(raw, nil)
        precondition(rc == 0, "pthread_cond_init failed: errno \(rc)")
    }

    deinit {
        pthread_cond_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    /// Releases `mutex` (held by the caller), sleeps until signalled, retakes it.
    /// Wakeups may be spurious: callers re-check their condition in a loop.
    package func wait(_ mutex: Mutex) { pthread_cond_wait(raw, mutex.raw) }

    /// As `wait`, but returns after `timeoutNs` (realtime clock) even if not signalled.
    package func wait(_ mutex: Mutex, timeoutNs: Int) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let ns = Int(ts.tv_nsec) + timeoutNs
        ts.tv_sec += ns / 1_000_000_000
        ts.tv_nsec = ns % 1_000_000_000
        _ = pthread_cond_timedwait(raw, mutex.raw, &ts)
    }

    /// Wakes one waiter.
    package func signal() { pthread_cond_signal(raw) }

    /// Wakes every waiter.
    package func broadcast() { pthread_cond_broadcast(raw) }
}
