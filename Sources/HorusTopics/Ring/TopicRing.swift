import Atomics
import CHorus
import HorusMemory
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// The shared-memory ring behind one topic, as mapped by this process: a header that
/// records the message type, and a power-of-two array of entries written by any number
/// of publishers and read by any number of subscribers, each with its own cursor.
///
/// A process-local topic (`TopicScope.process`) is the same header and protocol in
/// private memory (see `TopicRing+Local`).
///
/// One `TopicRing` per topic per process (see `TopicRegistry`); publishers and
/// subscribers of the topic in this process share it. When the last one goes, the
/// process leaves the topic; when the last process leaves, the segment is removed and
/// the pool references held by its entries are returned.
public final class TopicRing: @unchecked Sendable {
    public let topic: String
    /// The shared-memory segment; nil for a process-local ring (`scope == .process`).
    let segment: SharedMemorySegment?
    /// Where the ring lives.
    public let scope: TopicScope
    let header: UnsafeMutablePointer<horus_ring_header>
    let entries: UnsafeMutableRawPointer
    public let capacity: Int
    let mask: Int
    let stride: Int
    let messageSize: Int
    let wireKind: UInt32
    let participantIndex: Int
    /// Byte offset of the lock word inside an entry.
    let lockOffset: Int
    /// Publisher/subscriber objects of this process using the ring (registry mutex).
    var users = 0
    /// The header's participant rows.
    let participantTable: ParticipantTable
    /// Nonzero once another process truncated the segment (a process-local word; always
    /// zero for a process-local ring).
    let truncatedFlag: UnsafePointer<Int32>

    convenience init(topic: String, segment: SharedMemorySegment, participantIndex: Int) {
        self.init(topic: topic, base: segment.base, segment: segment, participantIndex: participantIndex)
    }

    /// A ring over `base` (a mapped segment, or private memory when `segment` is nil).
    init(topic: String, base: UnsafeMutableRawPointer, segment: SharedMemorySegment?, participantIndex: Int) {
        self.topic = topic
        self.segment = segment
        scope = segment == nil ? .process : .interprocess
        header = base.assumingMemoryBound(to: horus_ring_header.self)
        entries = base + Int(HORUS_RING_HEADER_BYTES)
        capacity = Int(header.pointee.capacity)
        mask = capacity - 1
        stride = Int(header.pointee.entry_stride)
        messageSize = Int(header.pointee.message_size)
        wireKind = header.pointee.message_kind
        lockOffset = RingHeaderCheck.lockWordOffset(messageSize: messageSize)
        self.participantIndex = participantIndex
        participantTable = Self.participantTable(header: UnsafeRawPointer(base))
        truncatedFlag = segment?.truncatedFlag ?? UnsafeRawPointer(horus_shm_guard_flag(-1)).assumingMemoryBound(to: Int32.self)
    }

    /// True once another process truncated the topic's segment (the topic is dead here).
    public var isTruncated: Bool { truncatedFlag.pointee != 0 }

    /// The participant rows of the ring header at `base`.
    static func participantTable(header base: UnsafeRawPointer) -> ParticipantTable {
        ParticipantTable(rows: UnsafeMutableRawPointer(mutating: base) + MemoryLayout<horus_ring_header>.offset(of: \.participants)!,
                         count: Int(HORUS_RING_MAX_PARTICIPANTS), stride: MemoryLayout<horus_ring_participant>.stride)
    }

    // MARK: - Shared words

    @inline(__always) var writeSeq: UnsafeAtomic<UInt64> {
        atomicU64(UnsafeMutableRawPointer(header) + MemoryLayout<horus_ring_header>.offset(of: \.write_seq)!)
    }
    @inline(__always) var futexWordPointer: UnsafeMutablePointer<UInt32> {
        (UnsafeMutableRawPointer(header) + MemoryLayout<horus_ring_header>.offset(of: \.futex_word)!).assumingMemoryBound(to: UInt32.self)
    }
    @inline(__always) var futexWord: UnsafeAtomic<UInt32> { atomicU32(UnsafeMutableRawPointer(futexWordPointer)) }
    @inline(__always) var waiters: UnsafeAtomic<UInt32> {
        atomicU32(UnsafeMutableRawPointer(header) + MemoryLayout<horus_ring_header>.offset(of: \.waiters)!)
    }
    /// The commit word of a ticket's entry: the only word readers poll.
    @inline(__always) func entrySeq(_ ticket: UInt64) -> UnsafeAtomic<UInt64> {
        atomicU64(entries + Int(ticket & UInt64(mask)) * stride)
    }
    /// The lock word of a ticket's entry: writers CAS it; readers re-check it after a copy.
    @inline(__always) func entryLock(_ ticket: UInt64) -> UnsafeAtomic<UInt64> {
        atomicU64(entries + Int(ticket & UInt64(mask)) * stride + lockOffset)
    }
    @inline(__always) func payload(_ ticket: UInt64) -> UnsafeMutableRawPointer {
        entries + Int(ticket & UInt64(mask)) * stride + 8
    }
    func poolEntry(_ i: Int) -> UnsafeMutablePointer<horus_ring_pool> {
        (UnsafeMutableRawPointer(header) + MemoryLayout<horus_ring_header>.offset(of: \.pools)!)
            .assumingMemoryBound(to: horus_ring_pool.self) + i
    }

    /// Messages published so far (the next ticket).
    public var publishedCount: UInt64 { writeSeq.load(ordering: .relaxed) }

    /// The type recorded in the header.
    public var typeName: String { Self.string(header.pointee.type_name) }

    static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { b in String(decoding: b[..<(b.firstIndex(of: 0) ?? b.count)], as: UTF8.self) }
    }

    // MARK: - Pools referenced by descriptors

    /// Records `pool` in the header so subscribers in other processes can attach to it.
    func register(pool: Pool) throws {
        for i in 0..<Int(HORUS_RING_MAX_POOLS) {
            let idWord = atomicU32(UnsafeMutableRawPointer(poolEntry(i)))
            let id = idWord.load(ordering: .acquiring)
            if id == pool.id { return }
            if id == 0 {
                segment?.lock()
                defer { segment?.unlock() }
                if idWord.load(ordering: .acquiring) == 0 {
                    withUnsafeMutableBytes(of: &poolEntry(i).pointee.name) { b in
                        for (k, c) in pool.name.utf8.prefix(b.count - 1).enumerated() { b[k] = c }
                    }
                    idWord.store(pool.id, ordering: .releasing)
                    return
                } else if idWord.load(ordering: .acquiring) == pool.id {
                    return
                }
            }
        }
        throw TopicError.tooManyPools(topic: topic)
    }

    /// The attached pool with this id, attaching by the name recorded in the header if needed.
    func pool(id: UInt32) -> Pool? {
        if let p = PoolRegistry.shared.pool(id: id) { return p }
        for i in 0..<Int(HORUS_RING_MAX_POOLS) where atomicU32(UnsafeMutableRawPointer(poolEntry(i))).load(ordering: .acquiring) == id {
            let name = Self.string(poolEntry(i).pointee.name)
            if let p = try? Pool.attach(name: name), p.id == id { return p }
        }
        return nil
    }

    /// Drops the pool reference held by the message in an entry (pool-backed topics).
    /// The descriptor is shared memory: its pool and slot are checked first.
    func releaseEntryReference(at p: UnsafeRawPointer) {
        releaseEntryReference(pool: p.load(fromByteOffset: Self.poolIDOffset, as: UInt32.self),
                              slot: p.load(fromByteOffset: Self.slotOffset, as: UInt32.self), cached: nil)
    }

    // MARK: - Liveness

    /// Live processes using the topic, with their publisher and subscriber counts.
    public var participants: [(pid: Int32, publishers: Int, subscribers: Int)] { Self.liveParticipants(participantTable) }

    /// The live rows of a ring's participant table, with their role counts (rings and
    /// read-only inspectors alike).
    static func liveParticipants(_ table: ParticipantTable) -> [(pid: Int32, publishers: Int, subscribers: Int)] {
        table.liveRows.compactMap { i in
            guard let who = table.identity(i) else { return nil }  // left meanwhile
            let row = table.row(i)
            let counts = { (field: KeyPath<horus_ring_participant, UInt32>) in
                Int(atomicU32(row + MemoryLayout<horus_ring_participant>.offset(of: field)!).load(ordering: .relaxed))
            }
            return (who.pid, counts(\.publishers), counts(\.subscribers))
        }
    }

    /// Returns the references held by every committed entry (teardown; lock held).
    func drainEntriesLocked() {
        guard wireKind != 0 else { return }
        for i in 0..<capacity {
            // The entry holds a reference when its last writer finished (lock word even).
            let lock = entryLock(UInt64(i)).load(ordering: .acquiring)
            if lock != 0 && lock & 1 == 0 {
                releaseEntryReference(at: payload(UInt64(i)))
            }
            entryLock(UInt64(i)).store(0, ordering: .releasing)
            entrySeq(UInt64(i)).store(0, ordering: .releasing)
        }
    }

    /// Adjusts this process's publisher/subscriber count in the header.
    func count(role: TopicRole, by delta: Int) {
        let p = participantTable.row(participantIndex)
        let field = role == .publisher ? MemoryLayout<horus_ring_participant>.offset(of: \.publishers)!
                                       : MemoryLayout<horus_ring_participant>.offset(of: \.subscribers)!
        if delta > 0 { atomicU32(p + field).wrappingIncrement(ordering: .relaxed) } else { atomicU32(p + field).wrappingDecrement(ordering: .relaxed) }
    }

    /// Leaves the topic: frees this process's participant entry and, if no live process
    /// remains, returns the entries' pool references and removes the segment. The mapping
    /// goes with the last object holding the ring.
    func leave() {
        guard let segment else { return leaveLocal() }
        SharedParticipation.leave(segment: segment, table: participantTable, row: participantIndex,
                                  onDead: { takeBackWaiters(ofRow: $0) }, last: { drainEntriesLocked() })
    }
}

/// What a publisher or subscriber object is, for the participant counts.
public enum TopicRole: Sendable { case publisher, subscriber }
