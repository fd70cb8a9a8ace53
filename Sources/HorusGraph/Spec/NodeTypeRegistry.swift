/// A set of node types looked up by name, with nearest-name suggestions for typos.
///
/// Built-in node types are registered by the node library; plugin node types are resolved per
/// plugin file by a `PluginResolver` and are not mixed into this registry.
public struct NodeTypeRegistry: Sendable {
    private var specsByName: [String: NodeTypeSpec] = [:]
    private var order: [String] = []

    /// An empty registry.
    public init() {}

    /// A registry holding `specs`; throws `NodeTypeRegistryError` on duplicates or unsound specs.
    public init(_ specs: [NodeTypeSpec]) throws {
        for spec in specs { try register(spec) }
    }

    /// Adds a node type. Throws if the name is taken or the spec is internally inconsistent.
    public mutating func register(_ spec: NodeTypeSpec) throws {
        if specsByName[spec.name] != nil {
            throw NodeTypeRegistryError(typeName: spec.name, problems: ["node type '\(spec.name)' is already registered"])
        }
        let problems = spec.problems()
        if !problems.isEmpty { throw NodeTypeRegistryError(typeName: spec.name, problems: problems) }
        specsByName[spec.name] = spec
        order.append(spec.name)
    }

    /// The node type called `name`, if registered.
    public subscript(name: String) -> NodeTypeSpec? { specsByName[name] }

    /// All registered type names, in registration order.
    public var names: [String] { order }

    /// All registered specs, in registration order.
    public var specs: [NodeTypeSpec] { order.compactMap { specsByName[$0] } }

    /// The registered name closest to `name`, if any is close enough to be a plausible typo.
    public func suggestion(for name: String) -> String? {
        NameSuggester.suggest(name, from: order)
    }
}

/// A node type that could not be registered.
public struct NodeTypeRegistryError: Error, Sendable, CustomStringConvertible {
    /// The offending node type name.
    public let typeName: String
    /// What is wrong with it.
    public let problems: [String]
    /// `node type 'x': problem; problem`.
    public var description: String { "node type '\(typeName)': " + problems.joined(separator: "; ") }
}
