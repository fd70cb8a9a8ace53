import HorusMemory
import HorusTopics

/// Maps the message type names used in graph files ("Image", "Costmap") to Swift types,
/// so the runner can create typed ports for them. The four memory types are built in;
/// node libraries register theirs (e.g. Costmap) with `register`.
public final class MessageTypeCatalog: @unchecked Sendable {
    public static let shared = MessageTypeCatalog()

    struct Entry {
        let makeOutput: (_ port: String, _ topic: String, _ capacity: Int, _ clock: GraphClock) throws -> AnyOutputPort
        let makeInput: (_ port: String, _ topic: String, _ capacity: Int, _ history: Int) throws -> AnyInputPort
        var recording: RecordingSupport?
    }

    /// How a recordable type is recorded and replayed, type-erased.
    public struct RecordingSupport {
        /// The schema document (JSON) for the recording's Schema record.
        public let schema: String
        /// A subscriber for the recorder (its own cursor, `capacity` if it creates the ring).
        public let makeTap: (_ topic: String, _ capacity: Int) throws -> RecordTap
        /// Decodes recorded bytes into a message in `pool` (boxed), ready to publish.
        public let decode: (_ bytes: UnsafeRawBufferPointer, _ pool: Pool) throws -> Any
        /// Publishes a decoded message on an output port of this type.
        public let publish: (_ port: AnyOutputPort, _ message: Any) throws -> Void
        /// Publishes a decoded message on a bare publisher of this type made by `makePublisher`.
        public let makePublisher: (_ topic: String, _ capacity: Int) throws -> (Any) throws -> Void
    }

    private var entries: [String: Entry] = [:]
    private var plainStructs: [String: PlainStructSupport] = [:]
    private let lock = NSLockShim()

    private init() {
        register(Image.self)
        register(DepthImage.self)
        register(PointCloud.self)
        register(Tensor.self)
    }

    /// Makes `M` usable in graphs under `M.topicTypeName`.
    public func register<M: TopicMessage>(_: M.Type) {
        lock.locked {
            entries[M.topicTypeName] = Entry(
                makeOutput: { try OutputPort<M>(name: $0, topic: $1, capacity: $2, clock: $3) },
                makeInput: { try InputPort<M>(name: $0, topic: $1, capacity: $2, history: $3) })
        }
    }

    /// Makes `M` usable in graphs, recordings and replay under `M.topicTypeName`.
    public func register<M: RecordableMessage>(_: M.Type) {
        lock.locked {
            entries[M.topicTypeName] = Entry(
                makeOutput: { try OutputPort<M>(name: $0, topic: $1, capacity: $2, clock: $3) },
                makeInput: { try InputPort<M>(name: $0, topic: $1, capacity: $2, history: $3) },
                recording: RecordingSupport(
                    schema: M.recordSchema,
                    makeTap: { try TypedRecordTap<M>(topic: $0, capacity: $1) },
                    decode: { try M.fromRecorded($0, pool: $1) },
                    publish: { port, m in
                        guard let p = port as? OutputPort<M>, let m = m as? M else {
                            throw NodeError(node: "replay", phase: "publish", message: "type mismatch on \(port.topic)")
                        }
                        try p.publish(m)
                    },
                    makePublisher: { topic, capacity in
                        let p = try Publisher<M>(topic: topic, capacity: capacity)
                        return { m in
                            guard let m = m as? M else { throw NodeError(node: "replay", phase: "publish", message: "type mismatch on \(topic)") }
                            try p.publish(m)
                        }
                    }))
        }
    }

    func entry(_ name: String) -> Entry? { lock.locked { entries[name] } }

    func setPlainStruct(_ name: String, _ support: PlainStructSupport) { lock.locked { plainStructs[name] = support } }

    /// Byte-level access to the plain struct type `name` (registered with `registerPlainStruct`).
    public func plainStruct(_ name: String) -> PlainStructSupport? { lock.locked { plainStructs[name] } }

    /// Record/replay support for the type `name`, nil if unknown or not recordable.
    public func recording(_ name: String) -> RecordingSupport? { lock.locked { entries[name]?.recording } }

    /// Registered type names.
    public var names: [String] { lock.locked { entries.keys.sorted() } }
}
