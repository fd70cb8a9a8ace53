import Atomics
import CHorus
import HorusMemory
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// The type a ring is opened for: what the header must record.
struct RingType: Equatable {
    var name: String
    var layoutVersion: UInt32
    var messageSize: Int
    var kind: UInt32

    init(name: String, layoutVersion: UInt32, messageSize: Int, kind: UInt32) {
        self.name = name
        self.layoutVersion = layoutVersion
        self.messageSize = messageSize
        self.kind = kind
    }

    init<M: TopicMessage>(_: M.Type) {
        name = M.topicTypeName
        layoutVersion = M.topicLayoutVersion
        messageSize = M.wireSize
        kind = M.wireKind
    }

    var description: String { "\(name) (layout \(layoutVersion), \(messageSize) bytes)" }
}

extension TopicRing {
    /// Entries of a ring created without an explicit capacity.
    static let defaultCapacity = 16

    static func align(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }

    /// The power of two a requested capacity is rounded up to.
    static func roundedCapacity(_ requested: Int) -> Int {
        var capacity = 1
        while capacity < requested && capacity < 1 << 20 { capacity <<= 1 }
        return capacity
    }

    /// The ring capacity for a requested one (rounded up to a power of two), after
    /// checking it and the topic name. Shared by shared-memory and process-local rings.
    static func checkedCapacity(topic: String, requested: Int) throws -> Int {
        guard requested >= 1 && requested <= 1 << 20 else {
            throw TopicError.invalidArgument(topic: topic, reason: "capacity \(requested) not in 1...1048576")
        }
        guard topic.utf8.count < Int(HORUS_RING_TOPIC_NAME_CAPACITY), !topic.isEmpty else {
            throw TopicError.invalidArgument(topic: topic, reason: "topic names are 1 to 127 bytes")
        }
        return roundedCapacity(requested)
    }

    /// The message type the header records.
    var recordedType: RingType {
        RingType(name: typeName, layoutVersion: header.pointee.type_layout_version, messageSize: messageSize, kind: wireKind)
    }

    /// Checks an existing ring against what an endpoint asks for: the same message type
    /// and, when the caller gives one, the same capacity (after rounding).
    func checkCompatible(type: RingType, capacity requested: Int?) throws {
        let existing = recordedType
        guard existing == type else {
            throw TopicError.typeMismatch(topic: topic, existing: existing.description, requested: type.description)
        }
        if let requested, Self.roundedCapacity(requested) != capacity {
            throw TopicError.capacityMismatch(topic: topic, existing: capacity, requested: requested)
        }
    }

    /// Joins the shared-memory ring of `topic` for messages of `type` (see
    /// `SharedParticipation.join`): creates it unless `opening` is `.open`, replaces a
    /// leftover whose processes all died, checks an existing one's type and capacity.
    static func openSegment(topic: String, type: RingType, capacity requested: Int?, opening: TopicOpening) throws -> TopicRing {
        if let requested { _ = try checkedCapacity(topic: topic, requested: requested) }
        let capacity = try checkedCapacity(topic: topic, requested: requested ?? defaultCapacity)
        let stride = RingHeaderCheck.entryStride(messageSize: type.messageSize)
        let size = Int(HORUS_RING_HEADER_BYTES) + capacity * stride
        let shmName = HorusNamespace.shmName(kind: "topic", name: topic)
        do {
            let joined = try SharedParticipation.join(
                name: shmName, createSize: opening == .open ? nil : size, leftover: .takeOver, magic: HORUS_RING_MAGIC,
                initialize: { seg in initialize(base: seg.base, size: seg.size, topic: topic, type: type, capacity: capacity, stride: stride) },
                read: { seg -> TopicRing in try probe(seg, topic: topic) },
                table: { $0.participantTable },
                onDead: { ring, row in ring.takeBackWaiters(ofRow: row) },
                abandon: { $0.drainEntriesLocked() },
                accept: { probe in
                    let recorded = string(probe.header.pointee.topic_name)
                    guard recorded == topic else {
                        throw TopicError.invalidArgument(topic: topic, reason: "its shm name collides with topic '\(recorded)'")
                    }
                    if opening == .create { throw TopicError.alreadyExists(topic: topic) }
                    try probe.checkCompatible(type: type, capacity: requested)
                },
                full: { _ in TopicError.tooManyParticipants(topic: topic) })
            return TopicRing(topic: topic, segment: joined.segment, participantIndex: joined.row)
        } catch let e as SystemError {
            if opening == .open && e.code == ENOENT { throw TopicError.notFound(topic: topic) }
            throw TopicError.system(e)
        }
    }

    /// A probe over a segment whose header validates: header and participant table only.
    static func probe(_ seg: SharedMemorySegment, topic: String) throws -> TopicRing {
        try validate(seg, topic: topic)
        return TopicRing(topic: topic, segment: seg, participantIndex: 0)
    }

    /// Removes the topic segment `/dev/shm/<file>` of this namespace when no live process
    /// uses it, returning the pool references its entries hold first (see
    /// `SharedParticipation.removeIfAbandoned`).
    package static func removeIfAbandoned(file: String) throws -> SharedParticipation.Sweep {
        try SharedParticipation.removeIfAbandoned(
            name: "/" + file, magic: HORUS_RING_MAGIC,
            read: { seg -> TopicRing in
                try validate(seg, topic: file)
                let topic = string(seg.base.assumingMemoryBound(to: horus_ring_header.self).pointee.topic_name)
                return TopicRing(topic: topic, segment: seg, participantIndex: 0)
            },
            table: { $0.participantTable }, onDead: { ring, row in ring.takeBackWaiters(ofRow: row) },
            abandon: { $0.drainEntriesLocked() })
    }

    static func initialize(base: UnsafeMutableRawPointer, size: Int, topic: String, type: RingType, capacity: Int, stride: Int) {
        let h = base.assumingMemoryBound(to: horus_ring_header.self)
        h.pointee.layout_version = HORUS_RING_LAYOUT_VERSION
        h.pointee.message_kind = type.kind
        withUnsafeMutableBytes(of: &h.pointee.type_name) { b in for (i, c) in type.name.utf8.prefix(b.count - 1).enumerated() { b[i] = c } }
        withUnsafeMutableBytes(of: &h.pointee.topic_name) { b in for (i, c) in topic.utf8.prefix(b.count - 1).enumerated() { b[i] = c } }
        h.pointee.type_layout_version = type.layoutVersion
        h.pointee.message_size = UInt32(type.messageSize)
        h.pointee.capacity = UInt32(capacity)
        h.pointee.entry_stride = UInt32(stride)
        h.pointee.segment_size = UInt64(size)
        h.pointee.created_ns = horus_realtime_ns()
        atomicU64(UnsafeMutableRawPointer(h)).store(HORUS_RING_MAGIC, ordering: .releasing)
    }

    /// Checks an existing header against the segment before any entry is touched.
    static func validate(_ seg: SharedMemorySegment, topic: String) throws {
        if let why = RingHeaderCheck.problem(base: UnsafeRawPointer(seg.base), mappedSize: seg.size) {
            throw TopicError.incompatible(topic: topic, reason: why)
        }
    }
}
