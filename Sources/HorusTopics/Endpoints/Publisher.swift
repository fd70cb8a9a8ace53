import Atomics
import CHorus
import HorusMemory

/// Publishes messages of type `M` on a topic shared by threads and processes. For
/// pool-backed types only the 144-byte descriptor is written to the ring; the ring
/// holds a reference on the slot until the entry is overwritten, so publishing a 6 MB
/// image costs the same as 64 bytes. Never blocks on subscribers: a slow subscriber is
/// lapped and loses only its own oldest samples.
public final class Publisher<M: TopicMessage>: @unchecked Sendable {
    public let topic: String
    /// The shared ring (type, capacity, participants, published count).
    public let ring: TopicRing
    /// The pool of the last published message (retains skip the registry lookup).
    @exclusivity(unchecked) private var lastPoolID: UInt32 = 0
    @exclusivity(unchecked) private var lastPool: Pool?
    /// Messages this publisher wrote.
    @exclusivity(unchecked) public private(set) var publishedCount: UInt64 = 0

    /// Opens (or creates, with `capacity` entries) the topic for publishing `M`.
    public init(topic: String, capacity: Int = 16) throws {
        self.topic = topic
        ring = try TopicRegistry.shared.acquire(topic: topic, type: M.self, capacity: capacity, role: .publisher)
    }

    deinit { TopicRegistry.shared.release(ring, role: .publisher) }

    /// Writes `message` into the next ring entry and wakes blocked subscribers.
    /// Lock-free and allocation-free.
    ///
    /// Hot path, in the order that keeps cross-core misses off the critical path: the
    /// entry's lines and the new slot's header are prefetched for writing before the
    /// first locked operation (their misses overlap); the entry is committed as soon
    /// as the descriptor and the ring's reference are in place; the reference of the
    /// message the entry held before is dropped after the commit (it is held a little
    /// longer, never shorter); the futex word is only touched when a subscriber sleeps.
    @_specialize(where M == Image)
    @_specialize(where M == Tensor)
    @_specialize(where M == PointCloud)
    @_specialize(where M == DepthImage)
    public func publish(_ message: M) throws {
        let ring = self.ring
        let pooled = M.wireKind != 0
        let ticket = ring.writeSeq.loadThenWrappingIncrement(ordering: .relaxed)
        let seq = ring.entrySeq(ticket)
        let entry = ring.payload(ticket)
        ring.prefetchEntryForWrite(ticket)
        let writing = 2 &* ticket &+ 1
        var s = seq.load(ordering: .acquiring)
        var spins = 0
        while true {
            if s >= writing {  // a newer ticket already owns this entry: ours is obsolete
                return
            }
            if s & 1 == 1 && spins < 2_000_000 {  // an older writer is finishing this entry
                spins += 1
                s = seq.load(ordering: .acquiring)
                continue
            }
            // (after ~ms of spinning on an odd word, the older writer is presumed dead
            // and its entry is taken over without releasing its unknown reference)
            let (ok, seen) = seq.weakCompareExchange(expected: s, desired: writing, ordering: .acquiringAndReleasing)
            if ok { break }
            s = seen
        }
        // The reference the entry held (committed by an earlier ticket), dropped after the commit.
        var oldPool: UInt32 = 0, oldSlot: UInt32 = 0
        let heldReference = pooled && s != 0 && s & 1 == 0
        if heldReference {
            oldPool = entry.load(fromByteOffset: TopicRing.poolIDOffset, as: UInt32.self)
            oldSlot = entry.load(fromByteOffset: TopicRing.slotOffset, as: UInt32.self)
        }
        message.writeWire(to: entry)
        var failure: Error?
        if pooled {
            // The ring's own reference keeps the slot alive while the entry holds it.
            // Taken before the commit: a subscriber may retain the slot right after it.
            let poolID = entry.load(fromByteOffset: TopicRing.poolIDOffset, as: UInt32.self)
            let slot = entry.load(fromByteOffset: TopicRing.slotOffset, as: UInt32.self)
            do {
                let pool: Pool
                if poolID == lastPoolID, let p = lastPool {
                    pool = p
                } else {
                    guard let p = PoolRegistry.shared.pool(id: poolID) else { throw PoolError.unknownPool(id: poolID) }
                    try ring.register(pool: p)
                    lastPoolID = poolID
                    lastPool = p
                    pool = p
                }
                pool.retainShared(slot: slot)
            } catch {
                entry.initializeMemory(as: UInt8.self, repeating: 0, count: ring.messageSize)  // subscribers refuse it
                failure = error
            }
        }
        // Commit, then a full fence before reading `waiters` (pairs with a sleeping
        // subscriber's increment-then-recheck: one of the two sees the other).
        seq.store(writing &+ 1, ordering: .sequentiallyConsistent)
        publishedCount &+= 1
        if heldReference { ring.releaseEntryReference(pool: oldPool, slot: oldSlot, cached: lastPool) }
        if ring.waiters.load(ordering: .sequentiallyConsistent) != 0 {
            ring.futexWord.wrappingIncrement(ordering: .sequentiallyConsistent)
            _ = horus_futex_wake(ring.futexWordPointer, Int32.max)
        }
        if let failure { throw failure }
    }
}
