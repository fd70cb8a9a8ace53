import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// The topics this process has open, one `TopicRing` per name, shared by all its
/// publishers and subscribers. At process exit every topic is left (and removed from
/// /dev/shm when this was its last process).
final class TopicRegistry: @unchecked Sendable {
    static let shared = TopicRegistry()
    private var rings: [String: TopicRing] = [:]
    private var mutex = pthread_mutex_t()

    private init() {
        pthread_mutex_init(&mutex, nil)
        atexit { TopicRegistry.shared.leaveAll() }
    }

    func acquire<M: TopicMessage>(topic: String, type: M.Type, capacity: Int, role: TopicRole,
                                  scope: TopicScope = .interprocess) throws -> TopicRing {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let ring: TopicRing
        if let r = rings[topic] {
            let wanted = RingType(M.self)
            let existing = RingType(name: r.typeName, layoutVersion: r.header.pointee.type_layout_version,
                                    messageSize: r.messageSize, kind: r.wireKind)
            guard wanted == existing else {
                throw TopicError.typeMismatch(topic: topic, existing: existing.description, requested: wanted.description)
            }
            guard r.scope == scope else {
                throw TopicError.invalidArgument(topic: topic, reason: "open in this process with scope \(r.scope), cannot open it with scope \(scope)")
            }
            ring = r
        } else {
            switch scope {
            case .interprocess: ring = try TopicRing.openSegment(topic: topic, type: RingType(M.self), capacity: capacity)
            case .process: ring = try TopicRing.openLocal(topic: topic, type: RingType(M.self), capacity: capacity)
            }
            rings[topic] = ring
        }
        ring.users += 1
        ring.count(role: role, by: 1)
        return ring
    }

    func release(_ ring: TopicRing, role: TopicRole) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        ring.count(role: role, by: -1)
        ring.users -= 1
        if ring.users == 0 {
            rings[ring.topic] = nil
            ring.leave()
        }
    }

    private func leaveAll() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        for r in rings.values { r.leave() }
        rings.removeAll()
    }
}
