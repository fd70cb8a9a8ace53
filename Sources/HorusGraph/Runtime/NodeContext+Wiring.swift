import HorusMemory
import HorusTopics

/// A port to bind when building a `NodeContext` by hand.
public struct PortWiring: Sendable, Hashable {
    /// The node's port name.
    public var port: String
    /// The topic it is bound to.
    public var topic: String
    /// Message type name registered in `MessageTypeCatalog` ("Image", "Tensor", ...).
    public var typeName: String

    public init(port: String, topic: String, typeName: String) {
        self.port = port
        self.topic = topic
        self.typeName = typeName
    }
}

extension NodeContext {
    /// Builds a context with ports bound to topics, for code that drives a node without
    /// the scheduler (plugin adapters, tools, tests). Types are looked up in
    /// `MessageTypeCatalog.shared`; throws `NodeError` for an unknown type name.
    public static func wired(nodeName: String, params: [String: ParamValue] = [:], clock: GraphClock = WallClock(),
                             pool: Pool, inputs: [PortWiring] = [], outputs: [PortWiring] = [],
                             capacity: Int? = nil, history: Int = 0,
                             log: @escaping (String) -> Void = { print($0) },
                             heldMessages: HeldMessageCensus.Gauge = .init(), census: HeldMessageCensus = .init()) throws -> NodeContext {
        func entry(_ w: PortWiring) throws -> MessageTypeCatalog.Entry {
            guard let e = MessageTypeCatalog.shared.entry(w.typeName) else {
                throw NodeError(node: nodeName, phase: "configure", message: "port '\(w.port)': unknown message type '\(w.typeName)'")
            }
            return e
        }
        var ins: [String: AnyInputPort] = [:], outs: [String: AnyOutputPort] = [:]
        for w in inputs { ins[w.port] = try entry(w).makeInput(w.port, w.topic, capacity, history) }
        for w in outputs { outs[w.port] = try entry(w).makeOutput(w.port, w.topic, capacity, clock) }
        if !census.entries.contains(where: { $0.gauge === heldMessages }) { census.register(nodeName, heldMessages) }
        return NodeContext(nodeName: nodeName, params: params, clock: clock, pool: pool,
                           outputs: outs, inputs: ins, log: log, heldMessages: heldMessages, census: census)
    }
}
