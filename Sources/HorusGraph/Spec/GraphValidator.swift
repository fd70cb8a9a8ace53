/// Checks a `GraphSpec` against node types and reports every problem at once.
///
/// The report contains the loader's structural diagnostics plus all semantic ones (names, node
/// types, params, ports, wiring and message types, triggers, topics, plugins, cycles), sorted by
/// location. When there are no errors it also carries the `ValidatedGraph`.
public enum GraphValidator {
    /// Validates `spec`. Plugin nodes are resolved with `pluginResolver`; without one, every
    /// plugin node is an error. Inputs on `externalTopics` need no producing node (replay feeds them).
    /// `bridgeRules` say which types a `bridge:` section can carry; without them that check is skipped.
    public static func validate(_ spec: GraphSpec, registry: NodeTypeRegistry,
                                pluginResolver: PluginResolver? = nil,
                                externalTopics: [String: ExternalTopic] = [:],
                                bridgeRules: BridgeRules? = nil) -> ValidationReport {
        var run = ValidationRun(spec: spec, registry: registry, resolver: pluginResolver)
        run.externalTopics = externalTopics
        run.bridgeRules = bridgeRules
        return run.run()
    }
}

/// What the validator learned about one node.
struct NodeCheck {
    var spec: NodeSpec
    /// Valid, unique name (nil if missing, invalid or duplicate).
    var name: String?
    var type: NodeTypeSpec?
    var source: NodeSource?
    var params: [String: ParamValue] = [:]
    var trigger: NodeTrigger?
    /// Wired inputs/outputs whose port exists on the type.
    var inputs: [(binding: PortBinding, port: PortSpec)] = []
    var outputs: [(binding: PortBinding, port: PortSpec)] = []

    /// `camera.depth (camera_sim)` style reference used in wiring messages.
    func describe(_ port: String) -> String {
        let node = name ?? spec.name?.value ?? spec.keyPath
        if let type { return "\(node).\(port) (\(type.name))" }
        return "\(node).\(port)"
    }
}

/// One validation pass; accumulates diagnostics.
struct ValidationRun {
    let spec: GraphSpec
    let registry: NodeTypeRegistry
    let resolver: PluginResolver?
    var diagnostics: [GraphDiagnostic]
    var pluginCache: [String: Result<ResolvedPlugin, PluginResolutionError>] = [:]
    var checks: [NodeCheck] = []
    /// Topics fed from outside the graph (see `ExternalTopic`).
    var externalTopics: [String: ExternalTopic] = [:]
    /// What a `bridge:` section may carry (see `BridgeRules`).
    var bridgeRules: BridgeRules?

    init(spec: GraphSpec, registry: NodeTypeRegistry, resolver: PluginResolver?) {
        self.spec = spec
        self.registry = registry
        self.resolver = resolver
        diagnostics = spec.diagnostics
    }

    mutating func error(_ loc: SourceLocation, _ keyPath: String, _ message: String) {
        diagnostics.append(GraphDiagnostic(.error, at: loc, keyPath: keyPath, message))
    }

    mutating func warning(_ loc: SourceLocation, _ keyPath: String, _ message: String) {
        diagnostics.append(GraphDiagnostic(.warning, at: loc, keyPath: keyPath, message))
    }

    mutating func run() -> ValidationReport {
        checkNames()
        for i in checks.indices {
            var check = checks[i]
            checkNode(&check)
            checks[i] = check
        }
        addBridgeImportsAsExternalTopics()
        let topics = checkTopics()
        checkRecord(knownTopics: topics.map(\.name))
        let bridge = checkBridge(topics: topics)
        let order = topologicalOrder()
        checkSlots(order: order)
        let hasErrors = diagnostics.contains { $0.severity == .error }
        var graph = hasErrors ? nil : buildGraph(order: order, topics: topics)
        graph?.bridge = bridge
        return ValidationReport(diagnostics: diagnostics, graph: graph)
    }

    // MARK: Names

    mutating func checkNames() {
        var firstByName: [String: NodeSpec] = [:]
        for node in spec.nodes {
            var check = NodeCheck(spec: node)
            defer { checks.append(check) }
            guard let name = node.name else {
                if node.keyLocations["name"] == nil {  // a non-string name was already reported
                    error(node.location, "\(node.keyPath).name", "\(node.keyPath): node has no 'name'")
                }
                continue
            }
            if !Self.isValidNodeName(name.value) {
                error(name.location, "\(node.keyPath).name",
                      "\(node.label): invalid node name '\(name.value)'; use letters, digits, '_' and '-', starting with a letter or '_'")
                continue
            }
            if name.value.utf8.count > GraphLimits.nodeNameBytes {
                error(name.location, "\(node.keyPath).name",
                      "\(node.keyPath): node name '\(name.value.prefix(40))...' is \(name.value.utf8.count) bytes; at most \(GraphLimits.nodeNameBytes) are allowed")
                continue
            }
            if let first = firstByName[name.value] {
                error(name.location, "\(node.keyPath).name",
                      "\(node.label): duplicate node name '\(name.value)' (first used by \(first.keyPath) at line \(first.name!.location.line))")
                continue
            }
            firstByName[name.value] = node
            check.name = name.value
        }
    }

    static func isValidNodeName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
