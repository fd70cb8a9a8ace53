import Atomics
import CHorus
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// A read-only look at a live topic's ring, for tools (`horus-run topics`, `echo`, `hz`):
/// the segment is mapped PROT_READ and its header validated (size, magic, layout
/// version, geometry) before any field is trusted. An inspector never writes to the
/// ring and never joins it as a participant, so it cannot disturb the processes using it.
public final class TopicInspector {
    /// Keeps the mapping alive for as long as the inspector reads it.
    private let segment: SharedMemorySegment
    /// The topic name recorded in the header.
    public let topic: String
    /// The message type name recorded in the header ("Image", "Pose").
    public let typeName: String
    /// Entries in the ring (a power of two).
    public let capacity: Int
    /// Bytes of message per entry (144 for a descriptor).
    public let messageSize: Int
    private let messageKind: UInt32
    private let stride: Int
    var base: UnsafeRawPointer { UnsafeRawPointer(segment.base) }

    /// A segment that could not be inspected, and why.
    public struct Skipped: Error, CustomStringConvertible {
        /// The file in /dev/shm.
        public let file: String
        public let reason: String
        /// True when there was no such segment (as opposed to one that is not a usable ring).
        let missing: Bool
        public var description: String { "\(file): \(reason)" }
    }

    /// Maps the ring of `topic` (this namespace). Throws `TopicError.notFound` when no
    /// such topic exists, `TopicError.incompatible` when its segment is not a usable ring.
    public convenience init(topic: String) throws {
        let file = String(HorusNamespace.shmName(kind: "topic", name: topic).dropFirst())
        do { try self.init(file: file) } catch let s as Skipped {
            if s.missing { throw TopicError.notFound(topic: topic) }
            throw TopicError.incompatible(topic: topic, reason: s.reason)
        }
        guard self.topic == topic else { throw TopicError.notFound(topic: topic) }  // an shm name collision
    }

    /// Maps `/dev/shm/<file>` read-only and validates its header.
    init(file: String) throws {
        do { segment = try SharedMemorySegment.openReadOnly(name: "/" + file) } catch let e as SystemError {
            throw Skipped(file: file, reason: e.code == ENOENT ? "no such segment" : e.description, missing: e.code == ENOENT)
        }
        if let failure = RingHeaderCheck.problem(base: UnsafeRawPointer(segment.base), mappedSize: segment.size) {
            throw Skipped(file: file, reason: failure, missing: false)
        }
        let h = segment.base.assumingMemoryBound(to: horus_ring_header.self).pointee
        topic = TopicRing.string(h.topic_name)
        typeName = TopicRing.string(h.type_name)
        messageKind = h.message_kind
        messageSize = Int(h.message_size)
        capacity = Int(h.capacity)
        stride = Int(h.entry_stride)
    }

    /// Every inspectable topic of this namespace, sorted by topic name, plus the
    /// segments that were skipped and why.
    public static func scan() -> (topics: [TopicInspector], skipped: [Skipped]) {
        let prefix = HorusNamespace.filePrefix + "topic-"
        var topics: [TopicInspector] = [], skipped: [Skipped] = []
        for file in HorusNamespace.files where file.hasPrefix(prefix) {
            do { topics.append(try TopicInspector(file: file)) } catch let s as Skipped { skipped.append(s) } catch {}
        }
        return (topics.sorted { $0.topic < $1.topic }, skipped)
    }

    @inline(__always) private func load64(_ offset: Int) -> UInt64 {
        atomicU64(UnsafeMutableRawPointer(mutating: base + offset)).load(ordering: .acquiring)
    }

    /// Messages published so far.
    public var publishedCount: UInt64 { load64(MemoryLayout<horus_ring_header>.offset(of: \.write_seq)!) }

    /// True for pool-backed types (messages are descriptors).
    public var isPoolBacked: Bool { messageKind != 0 }

    /// Live processes using the topic, with their publisher and subscriber counts.
    public var participants: [(pid: Int32, publishers: Int, subscribers: Int)] {
        TopicRing.liveParticipants(TopicRing.participantTable(header: base))
    }

    /// Names of the pools whose descriptors travel on this topic (recorded by publishers).
    public var poolNames: [String] {
        let first = MemoryLayout<horus_ring_header>.offset(of: \.pools)!
        let size = MemoryLayout<horus_ring_pool>.stride
        return (0..<Int(HORUS_RING_MAX_POOLS)).compactMap { i in
            let off = first + i * size
            guard atomicU32(UnsafeMutableRawPointer(mutating: base + off)).load(ordering: .acquiring) != 0 else { return nil }
            let name = TopicRing.string((base + off).assumingMemoryBound(to: horus_ring_pool.self).pointee.name)
            return name.isEmpty ? nil : name
        }
    }

    /// What `read` found at a ticket.
    public enum ReadResult {
        /// A copy of the message bytes, consistent (no writer overwrote it meanwhile).
        case message([UInt8])
        /// Not published yet.
        case notYet
        /// Overwritten by a later ticket (the reader fell a ring behind).
        case lapped
    }

    /// Copies message `ticket` out with the ring's seqlock rules (horus_ring_layout.h):
    /// the commit word must be exactly 2t+2, and the lock word re-read after the copy must
    /// not have moved past it.
    public func read(ticket: UInt64) -> ReadResult {
        let entry = Int(HORUS_RING_HEADER_BYTES) + Int(ticket & UInt64(capacity - 1)) * stride
        let want = 2 &* ticket &+ 2
        let s1 = load64(entry)
        if s1 < want { return .notYet }
        if s1 > want { return .lapped }
        let bytes = Array(UnsafeRawBufferPointer(start: base + entry + 8, count: messageSize))
        atomicMemoryFence(ordering: .acquiring)
        // Seqlock re-check on the lock word: a later writer takes it before overwriting.
        return load64(entry + RingHeaderCheck.lockWordOffset(messageSize: messageSize)) <= s1 ? .message(bytes) : .lapped
    }
}
