/// One entry of the graph's `nodes:` list, as written (not yet checked against node types).
///
/// Shape problems (a list where a mapping was expected, a non-number rate, an unknown key) are
/// reported by the loader in `GraphSpec.diagnostics`; the affected field is then left nil/empty.
public struct NodeSpec: Sendable {
    /// 0-based position in `nodes:`.
    public var index: Int
    /// Location of the node's mapping (its first key).
    public var location: SourceLocation
    /// `name:` — unique node name.
    public var name: Located<String>?
    /// `type:` — built-in node type, or the node type inside `plugin`.
    public var type: Located<String>?
    /// `plugin:` — shared library providing the node type.
    public var plugin: Located<String>?
    /// `rate:` — periodic trigger in Hz.
    public var rate: Located<Double>?
    /// `trigger:` — `input` (any input) or the name of one input port.
    public var trigger: Located<String>?
    /// `isolate:` — `none` or `process`.
    public var isolate: Located<IsolationMode>?
    /// `restart:` — restart policy.
    public var restart: Located<RestartPolicy>?
    /// `max_held:` — messages the node may hold at once across ticks (1...4096, default 32).
    public var maxHeld: Located<Int>?
    /// `params:` — raw parameter values, in file order.
    public var params: [SpecEntry]
    /// `inputs:` — port → topic, in file order.
    public var inputs: [PortBinding]
    /// `outputs:` — port → topic, in file order.
    public var outputs: [PortBinding]
    /// Location of every key written in this node's mapping (e.g. `"params"` → 9:5).
    public var keyLocations: [String: SourceLocation]

    /// Creates an empty node entry at `location`.
    public init(index: Int, location: SourceLocation) {
        self.index = index
        self.location = location
        params = []
        inputs = []
        outputs = []
        keyLocations = [:]
    }

    /// Where `key` was written, falling back to the node's own location.
    public func location(ofKey key: String) -> SourceLocation { keyLocations[key] ?? location }

    /// `nodes[i]`, the key path prefix of this node.
    public var keyPath: String { "nodes[\(index)]" }

    /// `nodes[i] (name)` or `nodes[i]`, the prefix used in messages.
    public var label: String {
        if let name = name?.value { return "\(keyPath) (\(name))" }
        return keyPath
    }
}
