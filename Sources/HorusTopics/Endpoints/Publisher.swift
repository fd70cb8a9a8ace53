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
    @exclusivity(unchecked) private var lastPoolID: UInt32 = 0
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
    public func publish(_ message: M) throws {
        let ring = self.ring
        let pooled = M.wireKind != 0
        let ticket = ring.writeSeq.loadThenWrappingIncrement(ordering: .relaxed)
        let seq = ring.entrySeq(ticket)
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
        let entry = ring.payload(ticket)
        if pooled && s != 0 && s & 1 == 0 { ring.releaseEntryReference(at: entry) }
        message.writeWire(to: entry)
        var failure: Error?
        if pooled {
            // The ring's own reference keeps the slot alive while the entry holds it.
            let poolID = entry.load(fromByteOffset: MemoryLayout<horus_descriptor>.offset(of: \.pool_id)!, as: UInt32.self)
            let slot = entry.load(fromByteOffset: MemoryLayout<horus_descriptor>.offset(of: \.slot)!, as: UInt32.self)
            do {
                guard let pool = PoolRegistry.shared.pool(id: poolID) else { throw PoolError.unknownPool(id: poolID) }
                if poolID != lastPoolID {
                    try ring.register(pool: pool)
                    lastPoolID = poolID
                }
                pool.retainShared(slot: slot)
            } catch {
                entry.initializeMemory(as: UInt8.self, repeating: 0, count: ring.messageSize)  // subscribers refuse it
                failure = error
            }
        }
        seq.store(writing &+ 1, ordering: .sequentiallyConsistent)
        publishedCount &+= 1
        if ring.waiters.load(ordering: .sequentiallyConsistent) != 0 {
            ring.futexWord.wrappingIncrement(ordering: .sequentiallyConsistent)
            _ = horus_futex_wake(ring.futexWordPointer, Int32.max)
        }
        if let failure { throw failure }
    }
}
