import Atomics
import CHorus
import HorusMemory
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
    static func align(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }

    /// Opens or creates the ring of `topic` for messages of `type` (see TopicRegistry).
    /// The ring capacity for a requested one (rounded up to a power of two), after
    /// checking it and the topic name. Shared by shared-memory and process-local rings.
    static func checkedCapacity(topic: String, requested: Int) throws -> Int {
        guard requested >= 1 && requested <= 1 << 20 else {
            throw TopicError.invalidArgument(topic: topic, reason: "capacity \(requested) not in 1...1048576")
        }
        guard topic.utf8.count < Int(HORUS_RING_TOPIC_NAME_CAPACITY), !topic.isEmpty else {
            throw TopicError.invalidArgument(topic: topic, reason: "topic names are 1 to 127 bytes")
        }
        var capacity = 1
        while capacity < requested { capacity <<= 1 }
        return capacity
    }

    static func openSegment(topic: String, type: RingType, capacity requested: Int) throws -> TopicRing {
        let capacity = try checkedCapacity(topic: topic, requested: requested)
        let stride = RingHeaderCheck.entryStride(messageSize: type.messageSize)
        let size = Int(HORUS_RING_HEADER_BYTES) + capacity * stride
        let shmName = HorusNamespace.shmName(kind: "topic", name: topic)
        while true {
            let opened: SharedMemorySegment.Opened
            do { opened = try SharedMemorySegment.openLocked(name: shmName, createSize: size) } catch let e as SystemError {
                throw TopicError.system(e)
            }
            let seg = opened.segment
            if opened.created {
                initialize(base: seg.base, size: seg.size, topic: topic, type: type, capacity: capacity, stride: stride)
            } else {
                do { try validate(seg, topic: topic) } catch {
                    seg.unlock()
                    throw error
                }
                let probe = TopicRing(topic: topic, segment: seg, participantIndex: 0)
                if probe.reclaimDeadParticipantsLocked() == 0 {
                    // Leftover of crashed processes: return its references, start fresh.
                    probe.drainEntriesLocked()
                    seg.unlink()
                    seg.unlock()
                    continue
                }
                let existing = RingType(name: probe.typeName, layoutVersion: seg.base.assumingMemoryBound(to: horus_ring_header.self).pointee.type_layout_version,
                                        messageSize: probe.messageSize, kind: probe.wireKind)
                guard existing == type else {
                    seg.unlock()
                    throw TopicError.typeMismatch(topic: topic, existing: existing.description, requested: type.description)
                }
                let recorded = string(probe.header.pointee.topic_name)
                guard recorded == topic else {
                    seg.unlock()
                    throw TopicError.invalidArgument(topic: topic, reason: "its shm name collides with topic '\(recorded)'")
                }
            }
            let probe = TopicRing(topic: topic, segment: seg, participantIndex: 0)
            guard let index = probe.registerParticipantLocked() else {
                seg.unlock()
                throw TopicError.tooManyParticipants(topic: topic)
            }
            seg.unlock()
            return TopicRing(topic: topic, segment: seg, participantIndex: index)
        }
    }

    private func registerParticipantLocked() -> Int? {
        let me = ProcessIdentity.current
        for i in 0..<Int(HORUS_RING_MAX_PARTICIPANTS) {
            let p = participant(i)
            let pidWord = atomicI32(UnsafeMutableRawPointer(p))
            if pidWord.load(ordering: .acquiring) == 0 {
                p.pointee.start_time = me.startTime
                p.pointee.publishers = 0
                p.pointee.subscribers = 0
                p.pointee.roles = 0
                pidWord.store(me.pid, ordering: .releasing)
                return i
            }
        }
        return nil
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
