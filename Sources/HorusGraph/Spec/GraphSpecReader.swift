/// Turns the located YAML tree into a `GraphSpec`, collecting shape problems as diagnostics
/// instead of stopping at the first one.
struct GraphSpecReader {
    let file: String
    var diagnostics: [GraphDiagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ loc: SourceLocation, _ keyPath: String, _ message: String) {
        diagnostics.append(GraphDiagnostic(.error, at: loc, keyPath: keyPath, message))
    }

    mutating func read(root: Located<SpecValue>?, text: String) -> GraphSpec {
        let start = SourceLocation(file: file, line: 1, column: 1)
        var spec = GraphSpec(name: Located(Self.baseName(file), at: start), sourceFile: file, sourceText: text)
        guard let root else {
            error(start, "", "graph file is empty; expected a mapping with 'graph' and 'nodes'")
            spec.diagnostics = diagnostics
            return spec
        }
        guard let entries = mapping(root, "", "the graph file") else {
            spec.diagnostics = diagnostics
            return spec
        }
        var sawNodes = false
        for entry in entries {
            let key = entry.key.value
            switch key {
            case "graph":
                if let name = string(entry.value, "graph", "'graph' (the graph name)") { spec.name = name }
            case "nodes":
                sawNodes = true
                spec.nodes = readNodes(entry.value)
            case "topics":
                spec.topics = readTopics(entry.value)
            case "record":
                spec.record = readRecord(entry)
            case "outputs":
                spec.outputs = readGraphOutputs(entry.value)
            case "bridge":
                spec.bridge = readBridge(entry)
            default:
                unknownKey(entry.key, keyPath: key, noun: "top-level", allowed: GraphKeys.topLevel)
            }
        }
        if !sawNodes {
            error(root.location, "nodes", "graph has no 'nodes' list")
        }
        spec.diagnostics = diagnostics
        return spec
    }

    static func baseName(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(last[..<dot]) }
        return last
    }

    // MARK: Shape helpers

    /// Reports `prefix: unknown <noun> key 'x'; did you mean 'y'?` (or lists the allowed keys).
    mutating func unknownKey(_ key: Located<String>, keyPath: String, prefix: String = "", noun: String, allowed: [String]) {
        let hint = NameSuggester.suggest(key.value, from: allowed).map { "; did you mean '\($0)'?" }
            ?? " (expected one of: \(allowed.joined(separator: ", ")))"
        let lead = prefix.isEmpty ? "" : "\(prefix): "
        error(key.location, keyPath, "\(lead)unknown \(noun) key '\(key.value)'\(hint)")
    }

    /// The entries of a mapping; `null` counts as empty. Reports and returns nil for other shapes.
    mutating func mapping(_ value: Located<SpecValue>, _ keyPath: String, _ what: String) -> [SpecEntry]? {
        switch value.value {
        case .map(let entries): return entries
        case .null: return []
        default:
            error(value.location, keyPath, "\(what) must be a mapping, got \(value.value.describedForDiagnostic)")
            return nil
        }
    }

    mutating func string(_ value: Located<SpecValue>, _ keyPath: String, _ what: String) -> Located<String>? {
        if case .string(let s) = value.value { return Located(s, at: value.location) }
        error(value.location, keyPath, "\(what) must be a string, got \(value.value.describedForDiagnostic)")
        return nil
    }

    mutating func integer(_ value: Located<SpecValue>, _ keyPath: String, _ what: String,
                          in range: ClosedRange<Int>) -> Located<Int>? {
        let bounds = "\(range.lowerBound)...\(range.upperBound)"
        guard case .int(let i) = value.value else {
            error(value.location, keyPath, "\(what) must be an integer in \(bounds), got \(value.value.describedForDiagnostic)")
            return nil
        }
        if !range.contains(i) {
            error(value.location, keyPath, "\(what) must be in \(bounds), got \(i)")
            return nil
        }
        return Located(i, at: value.location)
    }

    // MARK: Sections

    mutating func readNodes(_ value: Located<SpecValue>) -> [NodeSpec] {
        guard case .list(let items) = value.value else {
            error(value.location, "nodes", "'nodes' must be a list of node mappings (each starting with '- name:'), got \(value.value.describedForDiagnostic)")
            return []
        }
        if items.isEmpty { error(value.location, "nodes", "graph has no nodes") }
        return items.enumerated().map { readNode($0.element, index: $0.offset) }
    }

    mutating func readNode(_ item: Located<SpecValue>, index: Int) -> NodeSpec {
        var node = NodeSpec(index: index, location: item.location)
        let path = node.keyPath
        guard case .map(let entries) = item.value else {
            error(item.location, path, "\(path): each node must be a mapping with 'name' and 'type', got \(item.value.describedForDiagnostic)")
            return node
        }
        // Read the name first so every message about this node can mention it.
        if let nameEntry = entries.first(where: { $0.key.value == "name" }) {
            node.name = string(nameEntry.value, "\(path).name", "\(path): 'name'")
        }
        let label = node.label
        for entry in entries {
            let key = entry.key.value
            node.keyLocations[key] = entry.key.location
            let keyPath = "\(path).\(key)"
            switch key {
            case "name": break
            case "type": node.type = string(entry.value, keyPath, "\(label): 'type'")
            case "plugin": node.plugin = string(entry.value, keyPath, "\(label): 'plugin'")
            case "rate":
                if let hz = entry.value.value.numericValue {
                    node.rate = Located(hz, at: entry.value.location)
                } else {
                    error(entry.value.location, keyPath, "\(label): 'rate' must be a number in Hz, got \(entry.value.value.describedForDiagnostic)")
                }
            case "trigger": node.trigger = string(entry.value, keyPath, "\(label): 'trigger'")
            case "isolate": node.isolate = readIsolate(entry.value, keyPath, label)
            case "restart": node.restart = readRestart(entry.value, keyPath, label)
            case "max_held": node.maxHeld = readMaxHeld(entry.value, keyPath, label)
            case "params":
                node.params = mapping(entry.value, keyPath, "\(label): 'params'") ?? []
            case "inputs": node.inputs = readBindings(entry.value, keyPath, label, "inputs")
            case "outputs": node.outputs = readBindings(entry.value, keyPath, label, "outputs")
            default:
                unknownKey(entry.key, keyPath: keyPath, prefix: label, noun: "node", allowed: GraphKeys.node)
            }
        }
        return node
    }

    mutating func readIsolate(_ value: Located<SpecValue>, _ keyPath: String, _ label: String) -> Located<IsolationMode>? {
        let allowed = IsolationMode.allCases.map(\.rawValue)
        if case .string(let s) = value.value, let mode = IsolationMode(rawValue: s) {
            return Located(mode, at: value.location)
        }
        var hint = ""
        if case .string(let s) = value.value { hint = NameSuggester.didYouMean(s, from: allowed) }
        error(value.location, keyPath, "\(label): 'isolate' must be one of \(allowed.joined(separator: ", ")), got \(value.value.describedForDiagnostic)\(hint)")
        return nil
    }

    mutating func restartKind(_ value: Located<SpecValue>, _ keyPath: String, _ label: String) -> RestartPolicy.Kind? {
        let allowed = RestartPolicy.Kind.allCases.map(\.rawValue)
        if case .string(let s) = value.value, let kind = RestartPolicy.Kind(rawValue: s) { return kind }
        var hint = ""
        if case .string(let s) = value.value { hint = NameSuggester.didYouMean(s, from: allowed) }
        error(value.location, keyPath, "\(label): restart policy must be one of \(allowed.joined(separator: ", ")), got \(value.value.describedForDiagnostic)\(hint)")
        return nil
    }

    mutating func readRestart(_ value: Located<SpecValue>, _ keyPath: String, _ label: String) -> Located<RestartPolicy>? {
        if case .string = value.value {
            return restartKind(value, keyPath, label).map { Located(RestartPolicy(kind: $0), at: value.location) }
        }
        guard let entries = mapping(value, keyPath, "\(label): 'restart'") else { return nil }
        var policy = RestartPolicy(kind: .onFailure)
        var ok = true
        for entry in entries {
            let sub = "\(keyPath).\(entry.key.value)"
            switch entry.key.value {
            case "policy":
                if let kind = restartKind(entry.value, sub, label) { policy.kind = kind } else { ok = false }
            case "max_restarts":
                if let n = integer(entry.value, sub, "\(label): 'restart.max_restarts'", in: GraphLimits.maxRestarts) { policy.maxRestarts = n.value } else { ok = false }
            case "backoff_ms":
                if let n = integer(entry.value, sub, "\(label): 'restart.backoff_ms'", in: GraphLimits.backoffMilliseconds) { policy.backoffMilliseconds = n.value } else { ok = false }
            default:
                unknownKey(entry.key, keyPath: sub, prefix: label, noun: "restart", allowed: GraphKeys.restart)
                ok = false
            }
        }
        return ok ? Located(policy, at: value.location) : nil
    }

    mutating func readBindings(_ value: Located<SpecValue>, _ keyPath: String, _ label: String, _ section: String) -> [PortBinding] {
        guard let entries = mapping(value, keyPath, "\(label): '\(section)' (port: /topic)") else { return [] }
        return entries.compactMap { entry in
            guard let topic = string(entry.value, "\(keyPath).\(entry.key.value)", "\(label): topic for \(section) port '\(entry.key.value)'") else { return nil }
            return PortBinding(port: entry.key, topic: topic)
        }
    }

    mutating func readTopics(_ value: Located<SpecValue>) -> [TopicDecl] {
        guard let entries = mapping(value, "topics", "'topics'") else { return [] }
        return entries.map { entry in
            var decl = TopicDecl(name: entry.key)
            let path = "topics.\(entry.key.value)"
            if case .string(let typeName) = entry.value.value {  // shorthand: `/cloud: PointCloud`
                decl.type = Located(typeName, at: entry.value.location)
                return decl
            }
            for field in mapping(entry.value, path, "topic '\(entry.key.value)'") ?? [] {
                let sub = "\(path).\(field.key.value)"
                switch field.key.value {
                case "type": decl.type = string(field.value, sub, "topic '\(entry.key.value)': 'type'")
                case "capacity": decl.capacity = integer(field.value, sub, "topic '\(entry.key.value)': 'capacity'", in: GraphLimits.capacity)
                case "history": decl.history = integer(field.value, sub, "topic '\(entry.key.value)': 'history'", in: 0...GraphLimits.capacity.upperBound)
                case "external": decl.external = boolean(field.value, sub, "topic '\(entry.key.value)': 'external'")
                case "exclusive": decl.exclusive = boolean(field.value, sub, "topic '\(entry.key.value)': 'exclusive'")
                default: unknownKey(field.key, keyPath: sub, prefix: "topic '\(entry.key.value)'", noun: "topic", allowed: GraphKeys.topic)
                }
            }
            return decl
        }
    }

    mutating func readRecord(_ entry: SpecEntry) -> RecordSpec? {
        var record = RecordSpec(location: entry.key.location)
        guard let fields = mapping(entry.value, "record", "'record'") else { return nil }
        for field in fields {
            let sub = "record.\(field.key.value)"
            switch field.key.value {
            case "output": record.output = string(field.value, sub, "record: 'output'")
            case "topics":
                guard case .list(let items) = field.value.value else {
                    error(field.value.location, sub, "record: 'topics' must be a list of topic names, got \(field.value.value.describedForDiagnostic)")
                    continue
                }
                record.topics = items.enumerated().compactMap { string($0.element, "\(sub)[\($0.offset)]", "record: topics[\($0.offset)]") }
            default: unknownKey(field.key, keyPath: sub, prefix: "record", noun: "record", allowed: GraphKeys.record)
            }
        }
        return record
    }
}
