import HorusMemory
import HorusTopics
import HorusSystem

/// Maps the message type names used in graph files ("Image", "Costmap") to Swift types,
/// so the runner can create typed ports for them. The four memory types are built in;
/// node libraries register theirs (e.g. Costmap) with `register`. How a type is encoded
/// (recordings, ROS 2) is not the graph's business: see HorusMessages.
public final class MessageTypeCatalog: @unchecked Sendable {
    public static let shared = MessageTypeCatalog()

    struct Entry {
        let makeOutput: (_ port: String, _ topic: String, _ capacity: Int?, _ clock: GraphClock) throws -> AnyOutputPort
        let makeInput: (_ port: String, _ topic: String, _ capacity: Int?, _ history: Int) throws -> AnyInputPort
    }

    private var entries: [String: Entry] = [:]
    private var plainStructs: [String: PlainStructSupport] = [:]
    private let lock = Mutex()

    private init() {
        register(Image.self)
        register(DepthImage.self)
        register(PointCloud.self)
        register(Tensor.self)
    }

    /// Makes `M` usable in graphs under `M.topicTypeName`.
    public func register<M: TopicMessage>(_: M.Type) {
        lock.withLock {
            entries[M.topicTypeName] = Entry(
                makeOutput: { try OutputPort<M>(name: $0, topic: $1, capacity: $2, clock: $3) },
                makeInput: { try InputPort<M>(name: $0, topic: $1, capacity: $2, history: $3) })
        }
    }

    func entry(_ name: String) -> Entry? { lock.withLock { entries[name] } }

    func setPlainStruct(_ name: String, _ support: PlainStructSupport) { lock.withLock { plainStructs[name] = support } }

    /// Byte-level access to the plain struct type `name` (registered with `registerPlainStruct`).
    public func plainStruct(_ name: String) -> PlainStructSupport? { lock.withLock { plainStructs[name] } }

    /// Registered type names.
    public var names: [String] { lock.withLock { entries.keys.sorted() } }
}
