import Atomics
import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

extension TopicRing {
    /// The message type name recorded by the existing topic `topic` of this namespace
    /// ("Image", "Pose"), or nil when no such topic exists (or it is still being created).
    /// Reads the header through a temporary read-only mapping: the topic is not joined.
    public static func recordedTypeName(topic: String) -> String? {
        guard !topic.isEmpty, topic.utf8.count < Int(HORUS_RING_TOPIC_NAME_CAPACITY) else { return nil }
        let shmName = HorusNamespace.shmName(kind: "topic", name: topic)
        let fd = shm_open(shmName, O_RDONLY, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        let headerSize = MemoryLayout<horus_ring_header>.size
        guard fstat(fd, &st) == 0, Int(st.st_size) >= headerSize else { return nil }
        guard let p = mmap(nil, headerSize, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else { return nil }
        defer { munmap(p, headerSize) }
        let magic = atomicU64(p)
        guard magic.load(ordering: .acquiring) == HORUS_RING_MAGIC else { return nil }
        let h = p.assumingMemoryBound(to: horus_ring_header.self).pointee
        let recorded = string(h.topic_name)
        guard recorded == topic else { return nil }
        return string(h.type_name)
    }
}
