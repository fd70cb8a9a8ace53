import HorusMemory
import HorusTopics

/// What a node sees of the graph: its validated params, its bound ports, the graph
/// clock, the pool to allocate messages from, and a logger.
public final class NodeContext: @unchecked Sendable {
    public let nodeName: String
    public let params: [String: ParamValue]
    public let clock: GraphClock
    /// The pool nodes allocate their output messages from.
    public let pool: Pool
    let outputs: [String: AnyOutputPort]
    let inputs: [String: AnyInputPort]
    let logSink: (String) -> Void
    /// This node's count of held messages and its `max_held` (adapters such as plugins keep it).
    public let heldMessages: HeldMessageCensus.Gauge
    /// Every node's gauge, for naming the holders when the pool runs out.
    public let census: HeldMessageCensus

    init(nodeName: String, params: [String: ParamValue], clock: GraphClock, pool: Pool,
         outputs: [String: AnyOutputPort], inputs: [String: AnyInputPort], log: @escaping (String) -> Void,
         heldMessages: HeldMessageCensus.Gauge = .init(), census: HeldMessageCensus = .init()) {
        self.heldMessages = heldMessages
        self.census = census
        self.nodeName = nodeName
        self.params = params
        self.clock = clock
        self.pool = pool
        self.outputs = outputs
        self.inputs = inputs
        self.logSink = log
    }

    /// The wired output port `name` carrying `M`.
    public func output<M: TopicMessage>(_ name: String, as _: M.Type = M.self) throws -> OutputPort<M> {
        guard let any = outputs[name] else { throw NodeError(node: nodeName, phase: "configure", message: "output '\(name)' is not wired") }
        guard let port = any as? OutputPort<M> else {
            throw NodeError(node: nodeName, phase: "configure", message: "output '\(name)' carries \(any.typeName), node asked for \(M.topicTypeName)")
        }
        return port
    }

    /// The output port `name` if it is wired (optional outputs).
    public func optionalOutput<M: TopicMessage>(_ name: String, as _: M.Type = M.self) throws -> OutputPort<M>? {
        outputs[name] == nil ? nil : try output(name, as: M.self)
    }

    /// The wired input port `name` carrying `M`.
    public func input<M: TopicMessage>(_ name: String, as _: M.Type = M.self) throws -> InputPort<M> {
        guard let any = inputs[name] else { throw NodeError(node: nodeName, phase: "configure", message: "input '\(name)' is not wired") }
        guard let port = any as? InputPort<M> else {
            throw NodeError(node: nodeName, phase: "configure", message: "input '\(name)' carries \(any.typeName), node asked for \(M.topicTypeName)")
        }
        return port
    }

    /// The input port `name` if it is wired (optional inputs).
    public func optionalInput<M: TopicMessage>(_ name: String, as _: M.Type = M.self) throws -> InputPort<M>? {
        inputs[name] == nil ? nil : try input(name, as: M.self)
    }

    // MARK: Params (validated by the graph loader, so a missing one is a programming error)

    public func int(_ name: String) -> Int { params[name]?.intValue ?? 0 }
    public func double(_ name: String) -> Double { params[name]?.doubleValue ?? 0 }
    public func bool(_ name: String) -> Bool { params[name]?.boolValue ?? false }
    public func string(_ name: String) -> String { params[name]?.stringValue ?? "" }
    public func doubles(_ name: String) -> [Double] { params[name]?.doubleListValue ?? [] }

    /// Logs a line attributed to this node.
    public func log(_ message: String) { logSink("[\(nodeName)] \(message)") }

    /// Names of the wired inputs and outputs (for adapters such as plugins).
    public var inputNames: [String] { inputs.keys.sorted() }
    public var outputNames: [String] { outputs.keys.sorted() }
    /// The type-erased ports (for adapters such as plugins).
    public func anyInput(_ name: String) -> AnyInputPort? { inputs[name] }
    public func anyOutput(_ name: String) -> AnyOutputPort? { outputs[name] }
}
