/// The node types a runner can instantiate: each type's declaration (for validation)
/// and a factory. Built-in nodes are added by HorusNodes; plugin libraries add theirs.
public struct NodeCatalog: Sendable {
    /// Makes a fresh node instance.
    public typealias Factory = @Sendable () throws -> Node

    public private(set) var registry = NodeTypeRegistry()
    private var factories: [String: Factory] = [:]
    /// Makes plugin nodes: (resolved library path, node type) → node. Set by the layer
    /// that loads plugins (HorusPlugins), so the graph layer stays free of dlopen.
    public var pluginNodeFactory: (@Sendable (_ path: String, _ type: String) throws -> Node)?

    public init() {}

    /// Adds a node type; throws if the name is taken or the declaration is unsound.
    public mutating func register(_ spec: NodeTypeSpec, factory: @escaping Factory) throws {
        try registry.register(spec)
        factories[spec.name] = factory
    }

    /// A new instance of the node a resolved graph node names (built-in or plugin).
    public func make(_ node: ResolvedNode) throws -> Node {
        if case let .plugin(path) = node.source {
            guard let f = pluginNodeFactory else {
                throw NodeError(node: node.name, phase: "create", message: "plugin '\(path)': no plugin loader is configured")
            }
            return try f(path, node.type.name)
        }
        return try make(node.type.name)
    }

    /// A new instance of the node type `name`.
    public func make(_ name: String) throws -> Node {
        guard let f = factories[name] else {
            throw NodeError(node: name, phase: "create", message: "no node type '\(name)' in the catalog")
        }
        return try f()
    }
}
