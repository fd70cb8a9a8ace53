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
    @exclusivity(unchecked) private var poolCache = PoolCache()
    /// Messages this publisher wrote.
    @exclusivity(unchecked) public private(set) var publishedCount: UInt64 = 0

    /// A pool-backed message's descriptor is formed here, then copied into the entry.
    private let scratch: UnsafeMutableRawPointer

    /// Opens the topic for publishing `M`, as `opening` says (by default: opens it, or
    /// creates it with `capacity` entries, 16 when nil). A capacity given for an existing
    /// topic must be its capacity (`TopicError.capacityMismatch` names both); nil takes
    /// the existing ring's. `scope: .process` keeps the topic inside this process (see
    /// `TopicScope`).
    public init(topic: String, capacity: Int? = nil, opening: TopicOpening = .openOrCreate,
                scope: TopicScope = .interprocess) throws {
        self.topic = topic
        ring = try TopicRegistry.shared.acquire(topic: topic, type: M.self, capacity: capacity, opening: opening,
                                                role: .publisher, scope: scope)
        scratch = .allocate(byteCount: Swift.max(M.wireSize, 8), alignment: 64)
    }

    deinit {
        poolCache.clear()
        scratch.deallocate()
        TopicRegistry.shared.release(ring, role: .publisher)
    }

    /// Writes `message` into the next ring entry and wakes blocked subscribers.
    /// Lock-free and allocation-free.
    ///
    /// Hot path, ordered so that cross-core misses overlap and only what readers need
    /// precedes the commit: the entry's lines (and the slot's header) are prefetched for
    /// writing; writers serialize on the entry's lock word (a line readers do not poll);
    /// the message is written, the ring's reference on a pool-backed message's slot is
    /// taken, and the entry is committed. Until the lock word is released the odd word
    /// records that the entry's reference is not in place, so a publisher killed in
    /// between leaks one reference instead of letting a later writer release one that
    /// was never taken. The reference of the message the entry held before is dropped
    /// last (a re-published sample landing on the entry that already holds its slot
    /// keeps that reference: no retain, no release); then the next entry's lines are
    /// prefetched. The futex word is only touched when a subscriber sleeps.
    @_specialize(exported: true, where M == Image)
    @_specialize(exported: true, where M == Tensor)
    @_specialize(exported: true, where M == PointCloud)
    @_specialize(exported: true, where M == DepthImage)
    public func publish(_ message: M) throws {
        try publish(writingWire: { message.writeWire(to: $0) })
    }

    /// Publishes the pool-backed message whose descriptor `write` forms (all 144 bytes, into
    /// private memory): for a caller that holds a message's parts rather than an `M` (the C
    /// ABI's handles), so no `M` is formed and destroyed per message. The slot the
    /// descriptor names must stay referenced by the caller until this returns.
    @_specialize(exported: true, where M == Image)
    @_specialize(exported: true, where M == Tensor)
    @_specialize(exported: true, where M == PointCloud)
    @_specialize(exported: true, where M == DepthImage)
    package func publish(writingDescriptor write: (UnsafeMutablePointer<horus_descriptor>) -> Void) throws {
        precondition(M.wireKind != 0, "\(M.self) is not pool-backed")
        try publish(writingWire: { write($0.assumingMemoryBound(to: horus_descriptor.self)) })
    }

    /// The publish itself; `writeWire` writes the message's wire bytes (a descriptor, or a
    /// plain struct) at the pointer it is given.
    @inline(__always)
    private func publish(writingWire writeWire: (UnsafeMutableRawPointer) -> Void) throws {
        let ring = self.ring
        if ring.truncatedFlag.pointee != 0 { throw TopicError.truncated(topic: topic) }  // a private word
        let pooled = M.wireKind != 0
        let ticket = ring.writeSeq.loadThenWrappingIncrement(ordering: .relaxed)
        ring.prefetchEntryForWrite(ticket)
        // A descriptor is formed in private memory while the entry's lines are on their
        // way (its CPU work overlaps the cross-core misses), then copied in.
        if pooled {
            writeWire(scratch)
            // The slot's header, for the ring's retain (before the commit, below).
            let id = scratch.load(fromByteOffset: TopicRing.poolIDOffset, as: UInt32.self)
            poolCache.matching(id)?._withUnsafeGuaranteedRef {
                $0.prefetchSlotHeader(scratch.load(fromByteOffset: TopicRing.slotOffset, as: UInt32.self))
            }
        }
        let lock = ring.entryLock(ticket)
        let writing = 2 &* ticket &+ 1
        var s = lock.load(ordering: .relaxed)
        var spins = 0
        var damaged = false
        while true {
            damaged = false
            if s >= writing {
                // A newer ticket owns this entry (ours is obsolete), which needs that
                // ticket taken: a lock word naming one nobody took is damaged, taken over
                // below like a dead writer's, its entry's reference left alone.
                if (s &- 1) / 2 < ring.writeSeq.load(ordering: .relaxed) { return }
                damaged = true
            }
            if s & 1 == 1 && !damaged && spins < 2_000_000 {  // an older writer is finishing this entry
                spins += 1
                s = lock.load(ordering: .relaxed)
                continue
            }
            // (after ~ms of spinning on an odd word, the older writer is presumed dead
            // and its entry is taken over without releasing its unknown reference)
            let (ok, seen) = lock.weakCompareExchange(expected: s, desired: writing, ordering: .acquiringAndReleasing)
            if ok { break }
            s = seen
        }
        let entry = ring.payload(ticket)
        // The reference the entry held (committed by an earlier ticket), dropped last.
        var oldPool: UInt32 = 0, oldSlot: UInt32 = 0
        // (an even word is 2t+2 for the ticket t that last wrote the entry: one of
        // another entry is damaged too, and its descriptor is not trusted with a release)
        let heldReference = pooled && s != 0 && s & 1 == 0 && !damaged
            && (s &- 2) / 2 & UInt64(ring.mask) == ticket & UInt64(ring.mask)
        if heldReference {
            oldPool = entry.load(fromByteOffset: TopicRing.poolIDOffset, as: UInt32.self)
            oldSlot = entry.load(fromByteOffset: TopicRing.slotOffset, as: UInt32.self)
        }
        if pooled {
            horus_descriptor_copy(entry, scratch)  // inline moves, not a memcpy call
        } else {
            writeWire(entry)
        }
        var failure: Error?
        // The entry already holds a reference on this very slot (a sample re-published
        // into the entry it last occupied): that reference stays, and neither the retain
        // nor the release of the old one touches the slot's header. (It cannot have been
        // recycled: the entry's reference kept it allocated.)
        var keepsReference = false
        if pooled {
            let poolID = entry.load(fromByteOffset: TopicRing.poolIDOffset, as: UInt32.self)
            let slot = entry.load(fromByteOffset: TopicRing.slotOffset, as: UInt32.self)
            keepsReference = heldReference && oldPool == poolID && oldSlot == slot
            do {
                let p = try self.pool(id: poolID)
                // The ring's reference, taken before the commit: a subscriber's retain
                // then finds the slot's header settled instead of contending with ours.
                if !keepsReference { p._withUnsafeGuaranteedRef { $0.retainShared(slot: slot) } }
            } catch {
                entry.initializeMemory(as: UInt8.self, repeating: 0, count: ring.messageSize)  // subscribers refuse it
                failure = error
            }
        }
        // Commit (a full fence: pairs with a sleeping subscriber's increment of `waiters`
        // then re-check, one of the two sees the other).
        ring.entrySeq(ticket).store(writing &+ 1, ordering: .sequentiallyConsistent)
        // Releasing the lock word (even) records that the entry holds its reference. In
        // this order the commit words of one entry only grow: the next writer of the
        // entry can take the lock only after this commit.
        lock.store(writing &+ 1, ordering: .releasing)
        publishedCount &+= 1
        if heldReference && !keepsReference { ring.releaseEntryReference(pool: oldPool, slot: oldSlot, cached: poolCache.pool) }
        // The next entry's lines past the commit word, owned ahead of the next publish
        // (subscribers poll only its first line).
        ring.prefetchEntryForWrite(ticket &+ 1, from: 64)
        if ring.waiters.load(ordering: .sequentiallyConsistent) != 0 {
            ring.futexWord.wrappingIncrement(ordering: .sequentiallyConsistent)
            _ = horus_futex_wake(ring.futexWordPointer, Int32.max)
        }
        if let failure { throw failure }
    }

    /// The attached pool with this id, recorded in the ring header the first time.
    @inline(__always)
    private func pool(id: UInt32) throws -> Unmanaged<Pool> {
        if let p = poolCache.matching(id) { return p }
        guard let p = PoolRegistry.shared.pool(id: id) else { throw PoolError.unknownPool(id: id) }
        try ring.register(pool: p)
        poolCache.set(id, p)
        return poolCache.pool!
    }
}
