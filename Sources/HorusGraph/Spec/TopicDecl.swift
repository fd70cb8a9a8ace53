/// An optional entry under `topics:` declaring a topic's type and ring settings, e.g.
/// `/camera/depth: {type: DepthImage, capacity: 8, history: 1}`.
public struct TopicDecl: Sendable, Hashable {
    /// Topic name and the location of the key.
    public var name: Located<String>
    /// Declared message type name (checked by the validator).
    public var type: Located<String>?
    /// Ring capacity in messages; nil means the transport default.
    public var capacity: Located<Int>?
    /// Messages kept for late subscribers; nil means the transport default.
    public var history: Located<Int>?
    /// `external: true`: read from outside the graph (another process, Python), so no "not read" warning.
    public var external: Located<Bool>?
    /// `exclusive: true`: refuse to run when another process already publishes the topic.
    public var exclusive: Located<Bool>?

    /// Creates a declaration.
    public init(name: Located<String>, type: Located<String>? = nil, capacity: Located<Int>? = nil,
                history: Located<Int>? = nil) {
        self.name = name
        self.type = type
        self.capacity = capacity
        self.history = history
    }
}
