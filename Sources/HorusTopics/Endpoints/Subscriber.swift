import Atomics
import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// Receives messages of type `M` from a topic, with its own cursor. A subscriber that
/// falls more than the ring's capacity behind is lapped: it skips to the oldest sample
/// still held and counts what it lost in `droppedCount`. Samples of pool-backed types
/// are read-only views of the publisher's slot (zero-copy), validated on receipt; a
/// sample whose slot was recycled meanwhile is never returned (counted as dropped).
///
/// One subscriber object is used by one thread at a time (it is a cursor), so its
/// counters skip Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`), which
/// cost a runtime call with a thread-local lookup per access on the receive path.
public final class Subscriber<M: TopicMessage>: @unchecked Sendable {
    public let topic: String
    /// The shared ring (type, capacity, participants, published count).
    public let ring: TopicRing
    /// Next ticket to read.
    @exclusivity(unchecked) public internal(set) var cursor: UInt64
    /// Samples lost to lapping (or recycled before they could be taken).
    @exclusivity(unchecked) public internal(set) var droppedCount: UInt64 = 0
    /// Samples refused because their descriptor did not validate.
    @exclusivity(unchecked) public private(set) var rejectedCount: UInt64 = 0
    /// Samples returned.
    @exclusivity(unchecked) public internal(set) var receivedCount: UInt64 = 0
    /// The last validation error of a refused sample.
    @exclusivity(unchecked) public private(set) var lastRejection: Error?
    @exclusivity(unchecked) public var waitPolicy: WaitPolicy
    private let scratch: UnsafeMutableRawPointer
    /// Storage objects reused for received samples no view holds any more (single owner:
    /// this subscriber, used by one thread at a time; see `SlotStorageCache`).
    private let storageCache: UnsafeMutablePointer<SlotStorageCache>
    @exclusivity(unchecked) private var stalledSince: UInt64 = 0
    @exclusivity(unchecked) private var emptyPolls: UInt32 = 0
    /// The commit word last found damaged at the cursor (one claiming a ticket no
    /// publisher has taken); 0 when none. Waits treat that exact value as "nothing
    /// there", so a scribbled entry neither spins nor ends a wait early, and a publisher
    /// overwriting the entry (a new value) is seen at once.
    @exclusivity(unchecked) private var damagedSeq: UInt64 = 0
    /// The pool of the last received descriptor (attached; its slot headers are prefetched).
    @exclusivity(unchecked) private var poolCache = PoolCache()

    /// Opens the topic as `opening` says (by default: opens it, or creates it with
    /// `capacity` entries, 16 when nil; a capacity given for an existing topic must be
    /// its capacity, nil takes the existing ring's). `history` = K delivers up to the K
    /// newest samples already published; 0 (the default) starts at the next sample.
    /// `scope: .process` keeps the topic inside this process (see `TopicScope`).
    public init(topic: String, history: Int = 0, capacity: Int? = nil, opening: TopicOpening = .openOrCreate,
                waitPolicy: WaitPolicy = .spinThenBlock(spins: 2000), scope: TopicScope = .interprocess) throws {
        self.topic = topic
        self.waitPolicy = waitPolicy
        ring = try TopicRegistry.shared.acquire(topic: topic, type: M.self, capacity: capacity, opening: opening,
                                                role: .subscriber, scope: scope)
        scratch = .allocate(byteCount: Swift.max(M.wireSize, 8), alignment: 16)
        storageCache = .allocate(capacity: 1)
        storageCache.initialize(to: SlotStorageCache())
        let newest = ring.writeSeq.load(ordering: .acquiring)
        let k = UInt64(Swift.max(0, Swift.min(history, ring.capacity)))
        cursor = newest >= k ? newest - k : 0
    }

    deinit {
        poolCache.clear()
        storageCache.deinitialize(count: 1)
        storageCache.deallocate()
        scratch.deallocate()
        TopicRegistry.shared.release(ring, role: .subscriber)
    }

    /// Samples published but not yet taken by this subscriber.
    public var backlog: UInt64 {
        let w = ring.writeSeq.load(ordering: .relaxed)
        return w > cursor ? w - cursor : 0
    }

    /// The next sample if one is ready; never waits.
    ///
    /// Polls only the commit word of the entry at the cursor while nothing is new (never
    /// the ring's shared ticket counter, which the publisher writes on every publish).
    /// When the entry is committed, the rest of its lines and the named slot's header
    /// are prefetched so those misses overlap, the message is copied out and the entry's
    /// lock word re-checked (seqlock), then decoded from the private copy.
    @_specialize(exported: true, where M == Image)
    @_specialize(exported: true, where M == Tensor)
    @_specialize(exported: true, where M == PointCloud)
    @_specialize(exported: true, where M == DepthImage)
    public func tryReceive() -> M? {
        tryReceive(decoding: { try M.readWire(UnsafeRawPointer($0), cache: $1) })
    }

    @inline(__always)
    private func tryReceive<R>(decoding decode: (UnsafeMutableRawPointer, UnsafeMutablePointer<SlotStorageCache>) throws -> R) -> R? {
        let ring = self.ring
        while true {
            let seq = ring.entrySeq(cursor)
            let want = 2 &* cursor &+ 2
            let s1 = seq.load(ordering: .acquiring)
            if s1 == want {
                let entry = ring.payload(cursor)
                ring.prefetchEntryForRead(cursor)
                if M.wireKind != 0 { prefetchSlot(of: entry) }
                if M.wireKind != 0 {
                    horus_descriptor_copy(scratch, entry)  // inline moves, not a memcpy call
                } else {
                    scratch.copyMemory(from: entry, byteCount: M.wireSize)
                }
                atomicMemoryFence(ordering: .acquiring)
                // Seqlock re-check: the lock word is 2c+1 (our writer has committed but not
                // yet released it) or 2c+2 unless a later writer took the entry meanwhile.
                if ring.entryLock(cursor).load(ordering: .relaxed) > s1 {
                    if skipLapped(seen: s1) { continue }
                    return nil
                }
                cursor &+= 1
                stalledSince = 0
                emptyPolls = 0
                do {
                    let m = try decode(scratch, storageCache)
                    receivedCount &+= 1
                    return m
                } catch DescriptorError.staleGeneration {
                    droppedCount &+= 1  // recycled after the publisher overwrote it
                } catch {
                    rejectedCount &+= 1
                    lastRejection = error
                }
                continue
            }
            if s1 > want {
                if skipLapped(seen: s1) { continue }
                return nil
            }
            // Nothing committed at the cursor: hand back the slots of received samples no
            // view holds any more. Every 64th empty poll (and before every sleep, see
            // `receive`), look whether a writer holds this entry too long.
            if M.wireKind != 0 { storageCache.pointee.releaseIdle() }
            emptyPolls &+= 1
            if emptyPolls & 63 == 0, skipStalledWriter() { continue }
            return nil
        }
    }

    /// True (and the cursor moved past it, counted dropped) when a writer has held the
    /// entry at the cursor for more than 100 ms while later entries are published: it
    /// is presumed dead. Reads the entry's lock word, the clock and, only after the
    /// 100 ms, the shared ticket counter; never called on every poll.
    private func skipStalledWriter() -> Bool {
        guard ring.entryLock(cursor).load(ordering: .relaxed) == 2 &* cursor &+ 1 else {
            stalledSince = 0
            return false
        }
        let now = horus_monotonic_ns()
        if stalledSince == 0 {
            stalledSince = now
        } else if now - stalledSince > 100_000_000, ring.writeSeq.load(ordering: .relaxed) > cursor &+ 1 {
            cursor &+= 1
            droppedCount &+= 1
            stalledSince = 0
            return true
        }
        return false
    }

    /// Prefetches the header of the slot a committed entry names (for writing: the
    /// decode retains it) and the first line of its data (a receiver reads it next),
    /// attaching the entry's pool first if this process has not seen it. The fields are
    /// read before the seqlock re-check: a hint, validated later (the pool keeps both
    /// prefetches inside the slot).
    @inline(__always)
    private func prefetchSlot(of entry: UnsafeRawPointer) {
        let id = entry.load(fromByteOffset: TopicRing.poolIDOffset, as: UInt32.self)
        let slot = entry.load(fromByteOffset: TopicRing.slotOffset, as: UInt32.self)
        let offset = entry.load(fromByteOffset: TopicRing.dataOffsetOffset, as: UInt64.self)
        var cached = poolCache.matching(id)
        if cached == nil {
            // The registry first, then the ring's pool table (attaching).
            guard let p = ring.pool(id: id) else { return }
            poolCache.set(id, p)
            cached = poolCache.pool
        }
        cached!._withUnsafeGuaranteedRef { $0.prefetchSlot(slot, dataOffset: offset) }
    }

    /// True when the next sample is committed (or the cursor was lapped): a receive
    /// would make progress. Cheaper than `backlog` for schedulers, and false while a
    /// publisher is still writing the entry.
    public var hasPending: Bool {
        let s = ring.entrySeq(cursor).load(ordering: .acquiring)
        return s >= 2 &* cursor &+ 2 && s != damagedSeq
    }

    /// Blocks (futex, no spinning) until `hasPending` or up to `timeoutNs` (at most 50 ms
    /// per call), without taking anything. Returns `hasPending`. For schedulers that tick a
    /// node when another process publishes.
    public func waitForPending(timeoutNs: Int64) -> Bool {
        if hasPending { return true }
        if noteTruncation() { return false }
        if skipStalledWriter() { return true }
        ring.beginWait()
        let word = ring.futexWord.load(ordering: .sequentiallyConsistent)
        if !hasSomething { _ = horus_futex_wait(ring.futexWordPointer, word, Swift.max(0, Swift.min(timeoutNs, 50_000_000))) }
        ring.endWait()
        return hasPending
    }

    /// True (recorded in `lastRejection` once) when another process truncated the ring:
    /// it reads zeros from then on, so waits return at once instead of sleeping on it.
    /// Checked where receives are about to sleep or yield, never per poll.
    private func noteTruncation() -> Bool {
        guard ring.isTruncated else { return false }
        if case .truncated? = lastRejection as? TopicError {} else { lastRejection = TopicError.truncated(topic: topic) }
        return true
    }

    /// Moves the cursor to the oldest sample the ring still holds, counting the loss, and
    /// returns true. An entry at the cursor can only be newer than the cursor when a
    /// later ticket was taken, so when no publisher has taken the cursor's ticket yet the
    /// entry (commit word `seen`) is damaged: it is counted rejected once, the cursor
    /// stays (a publisher will overwrite the entry) and false is returned.
    func skipLapped(seen: UInt64) -> Bool {
        let w = ring.writeSeq.load(ordering: .acquiring)
        guard cursor < w else {
            if damagedSeq != seen {
                damagedSeq = seen
                rejectedCount &+= 1
                lastRejection = TopicError.damagedEntry(topic: topic, ticket: cursor, commitWord: seen, published: w)
            }
            return false
        }
        let oldest = w > UInt64(ring.capacity) ? w - UInt64(ring.capacity) : 0
        let next = Swift.max(cursor &+ 1, oldest)
        droppedCount &+= next - cursor
        cursor = next
        return true
    }

    /// True when the entry at the cursor is committed or has been overwritten.
    @inline(__always)
    private var hasSomething: Bool {
        let s = ring.entrySeq(cursor).load(ordering: .sequentiallyConsistent)
        return s >= 2 &* cursor &+ 2 && s != damagedSeq
    }

    /// Waits up to `timeout` seconds (nil: forever) for the next sample, following
    /// `waitPolicy`. Returns nil on timeout, and at once (before sleeping or yielding;
    /// `.spin` only at its timeout) when another process truncated the topic's segment:
    /// `lastRejection` is then `TopicError.truncated`.
    @_specialize(exported: true, where M == Image)
    @_specialize(exported: true, where M == Tensor)
    @_specialize(exported: true, where M == PointCloud)
    @_specialize(exported: true, where M == DepthImage)
    public func receive(timeout: Double? = nil) -> M? {
        receive(timeout: timeout, decoding: { try M.readWire(UnsafeRawPointer($0), cache: $1) })
    }

    /// `receive(timeout:)` that hands the descriptor (this subscriber's private copy) and its
    /// storage cache to `decode` instead of forming an `M`: for a caller that keeps a message's
    /// parts (the C ABI's handles). `decode` must validate, as `M`'s initializer does (e.g.
    /// `Tensor(validatingDescriptorAt:expecting:readOnly:cache:)`); what it throws counts as a
    /// drop (stale generation) or a rejection, as for `M`.
    @_specialize(exported: true, where M == Image, R == OpaquePointer)
    @_specialize(exported: true, where M == Tensor, R == OpaquePointer)
    @_specialize(exported: true, where M == PointCloud, R == OpaquePointer)
    @_specialize(exported: true, where M == DepthImage, R == OpaquePointer)
    package func receive<R>(timeout: Double?, decodingDescriptor decode: (UnsafePointer<horus_descriptor>, UnsafeMutablePointer<SlotStorageCache>) throws -> R) -> R? {
        precondition(M.wireKind != 0, "\(M.self) is not pool-backed")
        return receive(timeout: timeout, decoding: { try decode(UnsafePointer($0.assumingMemoryBound(to: horus_descriptor.self)), $1) })
    }

    @inline(__always)
    private func receive<R>(timeout: Double?, decoding decode: (UnsafeMutableRawPointer, UnsafeMutablePointer<SlotStorageCache>) throws -> R) -> R? {
        let deadline = timeout.map { horus_monotonic_ns() &+ UInt64(Swift.max(0, $0) * 1e9) }
        var spins = 0
        let spinLimit: Int
        var yielding = false
        switch waitPolicy {
        case .spin: spinLimit = Int.max
        case .block: spinLimit = 0
        case let .spinThenBlock(n): spinLimit = n
        case let .spinThenYield(n): spinLimit = n; yielding = true
        }
        while true {
            // Spinning on an empty ring (either scope: both have the commit words): one
            // load per poll, and no call into tryReceive (no Optional<M> moved) until
            // something is there. Every 64th poll still goes through tryReceive for its
            // stalled-writer check.
            if spins < spinLimit && emptyPolls & 63 != 63 && !hasPending {
                emptyPolls &+= 1
                spins += 1
                horus_cpu_relax()
                if spins & 1023 == 0, let deadline, horus_monotonic_ns() >= deadline { return nil }
                continue
            }
            if let m = tryReceive(decoding: decode) { return m }
            if spins < spinLimit {
                spins += 1
                horus_cpu_relax()
                if spins & 1023 == 0, let deadline, horus_monotonic_ns() >= deadline { return nil }
                continue
            }
            if noteTruncation() { return nil }
            if yielding {
                if let deadline, horus_monotonic_ns() >= deadline { return nil }
                if skipStalledWriter() { continue }
                sched_yield()
                continue
            }
            var remaining: Int64 = -1
            if let deadline {
                let now = horus_monotonic_ns()
                if now >= deadline { return nil }
                remaining = Int64(deadline - now)
            }
            if skipStalledWriter() { continue }
            if M.wireKind != 0 { storageCache.pointee.releaseIdle() }
            ring.beginWait()
            let word = ring.futexWord.load(ordering: .sequentiallyConsistent)
            if !hasSomething {
                // Sleep at most 50 ms at a time, so a stalled entry is re-checked.
                let slice = remaining < 0 ? 50_000_000 : Swift.min(remaining, 50_000_000)
                _ = horus_futex_wait(ring.futexWordPointer, word, slice)
            }
            ring.endWait()
        }
    }
}

extension Subscriber: Sequence, IteratorProtocol {
    /// Blocks for the next sample (iteration never ends on its own).
    public func next() -> M? { receive() }
}
