import HorusMemory
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// The topics this process has open, one `TopicRing` per name, shared by all its
/// publishers and subscribers. At process exit every topic is left (and removed from
/// /dev/shm when this was its last process).
final class TopicRegistry: @unchecked Sendable {
    static let shared = TopicRegistry()
    private var rings: [String: TopicRing] = [:]
    private let mutex = Mutex()

    private init() {
        atexit { TopicRegistry.shared.leaveAll() }
    }

    /// The ring of `topic` for an endpoint of `role`, opened as `opening` asks (see
    /// `TopicOpening`; `capacity` nil takes an existing ring's).
    func acquire<M: TopicMessage>(topic: String, type: M.Type, capacity: Int?, opening: TopicOpening = .openOrCreate,
                                  role: TopicRole, scope: TopicScope = .interprocess) throws -> TopicRing {
        try mutex.withLock {
            let ring: TopicRing
            if let r = rings[topic] {
                if opening == .create { throw TopicError.alreadyExists(topic: topic) }
                try r.checkCompatible(type: RingType(M.self), capacity: capacity)
                guard r.scope == scope else {
                    throw TopicError.invalidArgument(topic: topic, reason: "open in this process with scope \(r.scope), cannot open it with scope \(scope)")
                }
                ring = r
            } else {
                if scope == .interprocess { NamespaceSweep.once }  // leftovers of crashed graphs go first
                switch scope {
                case .interprocess:
                    ring = try TopicRing.openSegment(topic: topic, type: RingType(M.self), capacity: capacity, opening: opening)
                case .process:
                    if opening == .open { throw TopicError.notFound(topic: topic) }
                    ring = try TopicRing.openLocal(topic: topic, type: RingType(M.self), capacity: capacity)
                }
                rings[topic] = ring
            }
            ring.users += 1
            ring.count(role: role, by: 1)
            return ring
        }
    }

    /// The ring of `topic` if this process has it open.
    func openRing(_ topic: String) -> TopicRing? { mutex.withLock { rings[topic] } }

    func release(_ ring: TopicRing, role: TopicRole) {
        mutex.withLock {
            ring.count(role: role, by: -1)
            ring.users -= 1
            if ring.users == 0 {
                rings[ring.topic] = nil
                ring.leave()
            }
        }
    }

    private func leaveAll() {
        mutex.withLock {
            for r in rings.values { r.leave() }
            rings.removeAll()
        }
    }
}
