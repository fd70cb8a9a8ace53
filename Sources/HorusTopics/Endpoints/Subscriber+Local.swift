import Atomics

extension Subscriber {
    /// `tryReceive` on a process-local topic: the entry's message is copied under the
    /// entry's lock and returned as the read-only sample a shared ring would decode
    /// (`readOnlySample`). Lapping is detected and counted exactly as in the shared ring.
    @inline(never)  // kept out of the shared-ring path: its Optional<M> entries need generic metadata in unspecialized code
    func tryReceiveLocal(_ local: LocalEntries<M>) -> M? {
        let ring = self.ring
        while true {
            let want = 2 &* cursor &+ 2
            let seq = ring.entrySeq(cursor)
            let s1 = seq.load(ordering: .acquiring)
            if s1 == want {
                ring.lockLocalEntry(cursor)
                let v: M? = seq.load(ordering: .relaxed) == want ? local.values[Int(cursor & UInt64(ring.mask))] : nil
                ring.unlockLocalEntry(cursor)
                guard let v else {  // overwritten between the poll and the lock
                    skipLapped()
                    continue
                }
                cursor &+= 1
                receivedCount &+= 1
                return v.readOnlySample()
            }
            if s1 > want {
                skipLapped()
                continue
            }
            return nil
        }
    }
}
