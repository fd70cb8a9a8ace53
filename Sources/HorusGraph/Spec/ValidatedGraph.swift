/// Where a node's implementation comes from.
public enum NodeSource: Sendable, Hashable {
    /// A node type from the `NodeTypeRegistry`.
    case builtin
    /// A node type exported by the plugin library at `path` (already resolved).
    case plugin(path: String)
}

/// A port of a specific node, e.g. `camera.depth`.
public struct PortRef: Sendable, Hashable, CustomStringConvertible {
    /// Node name.
    public var node: String
    /// Port name.
    public var port: String

    /// Creates a reference.
    public init(node: String, port: String) {
        self.node = node
        self.port = port
    }

    /// `node.port`.
    public var description: String { "\(node).\(port)" }
}

/// A fully checked node, ready to instantiate.
public struct ResolvedNode: Sendable {
    /// Unique node name.
    public var name: String
    /// Position in the graph file's `nodes:` list.
    public var declarationIndex: Int
    /// The node type (from the registry or the plugin).
    public var type: NodeTypeSpec
    /// Built-in or plugin.
    public var source: NodeSource
    /// Effective trigger (explicit `rate`/`trigger`, else the type default, else any input).
    public var trigger: NodeTrigger
    /// Where the node runs.
    public var isolation: IsolationMode
    /// What to do when it fails.
    public var restart: RestartPolicy
    /// Every declared parameter with its typed value (defaults filled in).
    public var params: [String: ParamValue]
    /// Wired input ports: port name → topic name.
    public var inputs: [String: String]
    /// Wired output ports: port name → topic name.
    public var outputs: [String: String]
    /// Location of the node in the graph file.
    public var location: SourceLocation
    /// `max_held`: messages the node may hold at once across ticks (plugin handles).
    public var maxHeld: Int = HeldMessageCensus.defaultMaxHeld
}

/// A topic with its resolved message type and endpoints.
public struct ResolvedTopic: Sendable, Hashable {
    /// Topic name (e.g. `/camera/depth`).
    public var name: String
    /// Message type carried.
    public var type: MessageTypeName
    /// Declared ring capacity; nil means the transport default.
    public var capacity: Int?
    /// Declared history depth; nil means the transport default.
    public var history: Int?
    /// `exclusive: true`: no other process may publish it (checked when the graph starts).
    public var exclusive = false
    /// Publishing ports, in node declaration order.
    public var publishers: [PortRef]
    /// Subscribing ports, in node declaration order.
    public var subscribers: [PortRef]
}

/// One publisher → subscriber connection through a topic.
public struct GraphEdge: Sendable, Hashable {
    /// Publishing port.
    public var from: PortRef
    /// Subscribing port.
    public var to: PortRef
    /// Topic connecting them.
    public var topic: String
    /// Message type carried.
    public var messageType: MessageTypeName
}

/// A graph that passed validation: nodes in deterministic topological order (sources first,
/// ties broken by declaration order), typed parameters, resolved topics and edges.
public struct ValidatedGraph: Sendable {
    /// Graph name.
    public var name: String
    /// Graph file path.
    public var sourceFile: String
    /// Nodes in execution (topological) order.
    public var nodes: [ResolvedNode]
    /// Topics sorted by name.
    public var topics: [ResolvedTopic]
    /// Edges ordered by publisher node order, then subscriber node order.
    public var edges: [GraphEdge]
    /// The record section, if any.
    public var record: RecordSpec?
    /// The bridge section, validated, if any.
    public var bridge: ResolvedBridge? = nil

    /// The node called `name`.
    public func node(_ name: String) -> ResolvedNode? { nodes.first { $0.name == name } }
    /// The topic called `name` (binary search: `topics` are sorted by name).
    public func topic(_ name: String) -> ResolvedTopic? {
        var low = 0, high = topics.count
        while low < high {
            let mid = (low + high) / 2
            if topics[mid].name < name { low = mid + 1 } else { high = mid }
        }
        if low < topics.count && topics[low].name == name { return topics[low] }
        return topics.first { $0.name == name }  // a hand-built graph whose topics are not sorted
    }
}
