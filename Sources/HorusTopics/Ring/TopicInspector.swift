import Atomics
import CHorus
import Foundation
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// A read-only look at a topic segment in /dev/shm: mapped PROT_READ, header validated
/// (size, magic, layout version, geometry) before any field is trusted. It never writes
/// to the segment and never registers as a participant, so it cannot disturb a graph.
final class RingView {
    let shmFile: String
    let base: UnsafeRawPointer
    let mappedSize: Int
    let topic: String
    let typeName: String
    let messageKind: UInt32
    let messageSize: Int
    let capacity: Int
    let stride: Int

    /// Problems found while scanning (segments skipped and why).
    struct Skipped: Error, CustomStringConvertible {
        let file: String
        let reason: String
        var description: String { "\(file): \(reason)" }
    }

    /// The /dev/shm file prefix of this namespace's topics.
    static var topicPrefix: String { HorusNamespace.filePrefix + "topic-" }

    /// Maps `/dev/shm/<file>` read-only and validates its header.
    init(file: String) throws {
        func skip(_ why: String) -> Skipped { Skipped(file: file, reason: why) }
        let fd = open("/dev/shm/" + file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw skip("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw skip("fstat failed") }
        let size = Int(st.st_size)
        guard size >= Int(HORUS_RING_HEADER_BYTES) else { throw skip("\(size) bytes, smaller than a ring header") }
        guard let p = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else { throw skip("mmap failed") }
        let h = p.assumingMemoryBound(to: horus_ring_header.self)
        let failure = RingHeaderCheck.problem(base: UnsafeRawPointer(p), mappedSize: size)
        let cap = Int(h.pointee.capacity), stride = Int(h.pointee.entry_stride), msg = Int(h.pointee.message_size)
        if let failure {
            munmap(p, size)
            throw skip(failure)
        }
        shmFile = file
        base = UnsafeRawPointer(p)
        mappedSize = size
        topic = Self.string(h.pointee.topic_name)
        typeName = Self.string(h.pointee.type_name)
        messageKind = h.pointee.message_kind
        messageSize = msg
        capacity = cap
        self.stride = stride
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), mappedSize) }

    private var header: UnsafePointer<horus_ring_header> { base.assumingMemoryBound(to: horus_ring_header.self) }

    private func load64(_ offset: Int) -> UInt64 {
        UnsafeAtomic<UInt64>(at: UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: UInt64.AtomicRepresentation.self)))
            .load(ordering: .acquiring)
    }

    private func load32(_ offset: Int) -> Int32 {
        UnsafeAtomic<Int32>(at: UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Int32.AtomicRepresentation.self)))
            .load(ordering: .acquiring)
    }

    /// Messages published so far.
    var publishedCount: UInt64 { load64(MemoryLayout<horus_ring_header>.offset(of: \.write_seq)!) }

    /// True for pool-backed types (messages are descriptors).
    var isPoolBacked: Bool { messageKind != 0 }

    /// Live participants (dead or reused pids are left out).
    var participants: [(pid: Int32, publishers: Int, subscribers: Int)] {
        let first = MemoryLayout<horus_ring_header>.offset(of: \.participants)!
        let size = MemoryLayout<horus_ring_participant>.stride
        return (0..<Int(HORUS_RING_MAX_PARTICIPANTS)).compactMap { i in
            let off = first + i * size
            let pid = load32(off)
            guard pid != 0 else { return nil }
            let p = (base + off).assumingMemoryBound(to: horus_ring_participant.self).pointee
            guard ProcessIdentity(pid: pid, startTime: p.start_time).isAlive else { return nil }
            return (pid, Int(p.publishers), Int(p.subscribers))
        }
    }

    /// Names of the pools whose descriptors travel on this topic (recorded by publishers).
    var poolNames: [String] {
        let first = MemoryLayout<horus_ring_header>.offset(of: \.pools)!
        let size = MemoryLayout<horus_ring_pool>.stride
        return (0..<Int(HORUS_RING_MAX_POOLS)).compactMap { i in
            let off = first + i * size
            guard load32(off) != 0 else { return nil }
            let name = Self.string((base + off).assumingMemoryBound(to: horus_ring_pool.self).pointee.name)
            return name.isEmpty ? nil : name
        }
    }

    /// Copies message `ticket` out with the seqlock protocol; nil if it is not written yet
    /// (`.notYet`) or was overwritten (`.lapped`).
    enum ReadResult { case message([UInt8]), notYet, lapped }

    func read(ticket: UInt64) -> ReadResult {
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

    static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { b in String(decoding: b[..<(b.firstIndex(of: 0) ?? b.count)], as: UTF8.self) }
    }

    /// Every validated topic segment of this namespace, sorted by topic name, plus the
    /// files that were skipped.
    static func scan() -> (rings: [RingView], skipped: [Skipped]) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []
        var rings: [RingView] = [], skipped: [Skipped] = []
        for f in files.sorted() where f.hasPrefix(topicPrefix) {
            do { rings.append(try RingView(file: f)) } catch let s as Skipped { skipped.append(s) } catch {}
        }
        return (rings.sorted { $0.topic < $1.topic }, skipped)
    }

    /// The validated segment of `topic`, or an error naming the live topics.
    static func find(topic: String) throws -> RingView {
        let file = String(HorusNamespace.shmName(kind: "topic", name: topic).dropFirst())
        if let ring = try? RingView(file: file), ring.topic == topic { return ring }
        let live = scan().rings.map(\.topic)
        throw ExitCodeError.topic("no live topic '\(topic)' in namespace \(HorusNamespace.current)"
            + (live.isEmpty ? " (no topics)" : " (topics: \(live.joined(separator: ", ")))"))
    }
}
