import Atomics
import CHorus
import HorusSystem

/// Who sleeps on a ring's futex. Publishers read one word, the header's `waiters`, and wake the
/// futex only when it is not 0. Each sleeping thread is also counted in its own process's
/// participant row (the upper 16 bits of `roles`). A process killed while asleep cannot
/// decrement anything. Its count is taken back from the header when its row is reclaimed as
/// dead, so publishers do not wake an empty futex (a syscall per message) for good.
///
/// Order: the header counts first and uncounts last. A process that dies between the two
/// words leaves at most one stale count in the header (extra wakes, as before), and never
/// takes away a live sleeper's count (a missed wake).
extension TopicRing {
    private static let waiterUnit = UInt32(1) << HORUS_RING_ROLE_WAITERS_SHIFT

    @inline(__always) private var ownRoles: UnsafeAtomic<UInt32> {
        atomicU32(participantTable.row(participantIndex) + Self.rolesOffset)
    }

    /// Counts the calling thread as about to sleep on the futex (then re-check, then sleep).
    @inline(__always) func beginWait() {
        waiters.wrappingIncrement(ordering: .sequentiallyConsistent)
        ownRoles.wrappingIncrement(by: Self.waiterUnit, ordering: .relaxed)
    }

    /// Uncounts it after the sleep.
    @inline(__always) func endWait() {
        ownRoles.wrappingDecrement(by: Self.waiterUnit, ordering: .relaxed)
        waiters.wrappingDecrement(ordering: .sequentiallyConsistent)
    }

    /// Takes the sleepers counted in dead process `row` back from the header's total (flock
    /// held, before the row is freed). Clamped at 0: the total never wraps around.
    func takeBackWaiters(ofRow row: Int) {
        let roles = atomicU32(participantTable.row(row) + Self.rolesOffset)
        let n = roles.load(ordering: .acquiring) >> HORUS_RING_ROLE_WAITERS_SHIFT
        guard n > 0 else { return }
        var total = waiters.load(ordering: .relaxed)
        while true {
            let (done, now) = waiters.weakCompareExchange(expected: total, desired: total - Swift.min(n, total),
                                                          ordering: .sequentiallyConsistent)
            if done { break }
            total = now
        }
        roles.wrappingDecrement(by: n << HORUS_RING_ROLE_WAITERS_SHIFT, ordering: .relaxed)
    }

    /// Threads counted as sleeping on the ring's futex, in all processes (what publishers read).
    package var sleepingWaiters: UInt32 { waiters.load(ordering: .sequentiallyConsistent) }
}
