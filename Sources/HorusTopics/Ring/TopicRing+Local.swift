import Atomics
import CHorus
import HorusMemory
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

extension TopicRing {
    /// Creates the process-local ring of `topic` (see `TopicScope.process`): the shared
    /// ring's header, entries and protocol, in anonymous private memory instead of a
    /// shared-memory object. Publishers and subscribers run exactly the code they run on
    /// a shared ring, so the semantics are the same by construction; what goes away is
    /// the segment: no shm name, no flock, no participant bookkeeping, and nothing of
    /// the topic visible to (or writable by) another process.
    static func openLocal(topic: String, type: RingType, capacity requested: Int?) throws -> TopicRing {
        let capacity = try checkedCapacity(topic: topic, requested: requested ?? defaultCapacity)
        let stride = RingHeaderCheck.entryStride(messageSize: type.messageSize)
        let size = Int(HORUS_RING_HEADER_BYTES) + capacity * stride
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            throw TopicError.system(SystemError("mmap", topic))
        }
        initialize(base: p, size: size, topic: topic, type: type, capacity: capacity, stride: stride)
        let row = participantTable(header: UnsafeRawPointer(p)).claim()!  // a fresh table: row 0
        return TopicRing(topic: topic, base: p, segment: nil, participantIndex: row)
    }

    /// Returns the pool references the entries hold and frees the ring's memory (the
    /// last publisher or subscriber of the process left).
    func leaveLocal() {
        drainEntriesLocked()
        munmap(UnsafeMutableRawPointer(header), Int(HORUS_RING_HEADER_BYTES) + capacity * stride)
    }
}
