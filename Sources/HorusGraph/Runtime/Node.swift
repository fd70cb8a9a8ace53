/// A processing node: configured once with validated params and bound ports, started,
/// stepped by the scheduler (`tick`: at its rate, or when its trigger input has data),
/// and stopped. The scheduler never runs one node's `tick` concurrently with itself.
public protocol Node: AnyObject {
    /// Reads params and binds ports (`context.output(...)`, `context.input(...)`).
    func configure(_ context: NodeContext) throws
    /// Called once after every node is configured, before the first tick.
    func start(_ context: NodeContext) throws
    /// One step: read inputs, compute, publish outputs.
    func tick(_ context: NodeContext) throws
    /// Called once when the graph stops (flush files, release resources).
    func stop(_ context: NodeContext)
}

extension Node {
    public func start(_ context: NodeContext) throws {}
    public func stop(_ context: NodeContext) {}
}

/// A node failed; names the node and the phase.
public struct NodeError: Error, CustomStringConvertible {
    public let node: String
    public let phase: String
    public let message: String

    public init(node: String, phase: String, message: String) {
        self.node = node
        self.phase = phase
        self.message = message
    }

    public var description: String { "node '\(node)' failed in \(phase): \(message)" }
}
