/// Direction of a node port.
public enum PortDirection: String, Sendable, Hashable {
    /// The node subscribes to a topic through this port.
    case input
    /// The node publishes to a topic through this port.
    case output
}

/// Declaration of one input or output port of a node type.
public struct PortSpec: Sendable, Hashable {
    /// Port name as written under `inputs:` / `outputs:`.
    public var name: String
    /// Input or output.
    public var direction: PortDirection
    /// Message type carried by the port.
    public var messageType: MessageTypeName
    /// An optional port may be left unwired; required inputs and required outputs must be wired
    /// (validation reports them). Outputs are optional unless declared `required`.
    public var optional: Bool
    /// One-line description.
    public var doc: String

    /// Creates a port declaration.
    public init(_ name: String, _ direction: PortDirection, _ messageType: MessageTypeName,
                optional: Bool = false, doc: String = "") {
        self.name = name
        self.direction = direction
        self.messageType = messageType
        self.optional = optional
        self.doc = doc
    }

    /// A required or optional input port.
    public static func input(_ name: String, _ type: MessageTypeName, optional: Bool = false, doc: String = "") -> PortSpec {
        PortSpec(name, .input, type, optional: optional, doc: doc)
    }

    /// An output port; `required` outputs must be wired (the node cannot run without them).
    public static func output(_ name: String, _ type: MessageTypeName, required: Bool = false, doc: String = "") -> PortSpec {
        PortSpec(name, .output, type, optional: !required, doc: doc)
    }
}
