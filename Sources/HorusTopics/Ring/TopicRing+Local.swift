import Atomics
import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

extension TopicRing {
    /// Entry stride of a process-local ring: commit word, lock word, one cache line.
    static let localEntryStride = 64

    /// Creates the process-local ring of `topic` (see `TopicScope.process`): the same
    /// header in anonymous private memory. Pool-backed messages: entries of commit word
    /// + spin lock, the messages themselves in a `LocalEntries<M>` table (no descriptor,
    /// no decode). Plain structs: the shared ring's own entries and protocol (a byte copy
    /// is already the cheapest move), just in private memory.
    static func openLocal<M: TopicMessage>(topic: String, type: M.Type, capacity requested: Int) throws -> TopicRing {
        let capacity = try checkedCapacity(topic: topic, requested: requested)
        let objects = M.wireKind != 0
        let stride = objects ? localEntryStride : RingHeaderCheck.entryStride(messageSize: M.wireSize)
        let size = Int(HORUS_RING_HEADER_BYTES) + capacity * stride
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            throw TopicError.system(SystemError("mmap", topic))
        }
        initialize(base: p, size: size, topic: topic, type: RingType(M.self), capacity: capacity, stride: stride)
        let me = ProcessIdentity.current
        let first = (p + MemoryLayout<horus_ring_header>.offset(of: \.participants)!).assumingMemoryBound(to: horus_ring_participant.self)
        first.pointee.start_time = me.startTime
        first.pointee.pid = me.pid
        let ring = TopicRing(topic: topic, base: p, segment: nil, participantIndex: 0, objectEntries: objects)
        if objects { ring.localEntries = LocalEntries<M>(capacity: capacity) }
        return ring
    }

    /// Takes the spin lock of a local entry (held for a message move or copy only).
    @inline(__always)
    func lockLocalEntry(_ ticket: UInt64) {
        let lock = entryLock(ticket)
        var spins = 0
        while !lock.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
            spins += 1
            while lock.load(ordering: .relaxed) != 0 {
                spins += 1
                if spins > 200 { sched_yield() }  // the holder was preempted
            }
        }
    }

    @inline(__always)
    func unlockLocalEntry(_ ticket: UInt64) {
        entryLock(ticket).store(0, ordering: .releasing)
    }

    /// Frees a local ring's memory and drops the messages its entries held.
    func leaveLocal() {
        localEntries = nil
        munmap(UnsafeMutableRawPointer(header), Int(HORUS_RING_HEADER_BYTES) + capacity * stride)
    }
}
