import Atomics
import CHorus

extension Publisher {
    /// `publish` on a process-local topic: the message itself goes into the entry
    /// (no descriptor, no ring-held slot reference: the entry holds the message). The
    /// same ticket order as the shared ring: a ticket overtaken by a newer one on its
    /// entry is dropped; the commit word only grows.
    @inline(never)  // kept out of the shared-ring path: its Optional<M> entries need generic metadata in unspecialized code
    func publishLocal(_ message: M, into local: LocalEntries<M>) {
        let ring = self.ring
        let ticket = ring.writeSeq.loadThenWrappingIncrement(ordering: .relaxed)
        let committed = 2 &* ticket &+ 2
        let seq = ring.entrySeq(ticket)
        let value = local.values + Int(ticket & UInt64(ring.mask))
        ring.lockLocalEntry(ticket)
        if seq.load(ordering: .relaxed) >= committed {  // a newer ticket already owns this entry
            ring.unlockLocalEntry(ticket)
            return
        }
        let old = value.move()
        value.initialize(to: message)
        // Commit (full fence before reading `waiters`, as in the shared ring).
        seq.store(committed, ordering: .sequentiallyConsistent)
        ring.unlockLocalEntry(ticket)
        publishedCount &+= 1
        withExtendedLifetime(old) {}  // the previous message is released outside the lock
        if ring.waiters.load(ordering: .sequentiallyConsistent) != 0 {
            ring.futexWord.wrappingIncrement(ordering: .sequentiallyConsistent)
            _ = horus_futex_wake(ring.futexWordPointer, Int32.max)
        }
    }
}
