/// The node types a runner can instantiate: each type's declaration (for validation)
/// and a factory. Built-in nodes are added by HorusNodes; plugin libraries add theirs.
public struct NodeCatalog: Sendable {
    /// Makes a fresh node instance.
    public typealias Factory = @Sendable () throws -> Node

    public private(set) var registry = NodeTypeRegistry()
    private var factories: [String: Factory] = [:]

    public init() {}

    /// Adds a node type; throws if the name is taken or the declaration is unsound.
    public mutating func register(_ spec: NodeTypeSpec, factory: @escaping Factory) throws {
        try registry.register(spec)
        factories[spec.name] = factory
    }

    /// A new instance of the node type `name`.
    public func make(_ name: String) throws -> Node {
        guard let f = factories[name] else {
            throw NodeError(node: name, phase: "create", message: "no node type '\(name)' in the catalog")
        }
        return try f()
    }
}
