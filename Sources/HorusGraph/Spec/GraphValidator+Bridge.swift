/// `bridge:` checks that need the rest of the graph: exported topics are published by a node
/// and carry a type with a ROS 2 mapping; imported topics name a bridgeable type, are published
/// by no node and agree with their subscribers' types; no topic twice or both ways.
extension ValidationRun {
    /// Imported topics feed the graph like external topics: a node input on one needs no
    /// producing node, and its type must be the imported one (reported at the input).
    mutating func addBridgeImportsAsExternalTopics() {
        for entry in spec.bridge?.imports ?? [] {
            guard let topic = entry.topic?.value, externalTopics[topic] == nil,
                  let type = entry.type.flatMap({ try? MessageTypeName(validating: $0.value) }) else { continue }
            externalTopics[topic] = ExternalTopic(types: [type],
                                                  source: "the bridge import of \(Self.ddsName(topic)) (\(entry.keyPath), line \(entry.location.line))")
        }
    }

    static func ddsName(_ topic: String) -> String { "rt/" + topic.dropFirst() }

    /// Checks the section against the resolved topics; the runnable bridge, or nil without a section.
    mutating func checkBridge(topics: [ResolvedTopic]) -> ResolvedBridge? {
        guard let section = spec.bridge else { return nil }
        let byName = Dictionary(topics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let published = topics.filter { !$0.publishers.isEmpty }.map(\.name)
        var seen: [String: BridgeTopicSpec] = [:]
        var bridge = ResolvedBridge(domain: section.domain?.value ?? 0, exports: [], imports: [])
        for entry in section.exports {
            guard let topic = bridgeTopicName(entry, seen: &seen, isImport: false) else { continue }
            guard let resolved = byName[topic.value], !resolved.publishers.isEmpty else {
                let hint = NameSuggester.didYouMean(topic.value, from: published)
                error(topic.location, "\(entry.keyPath).topic", "bridge: export '\(topic.value)' is not published by any node of the graph\(hint)")
                continue
            }
            guard bridgeable(resolved.type.rawValue, topic, "\(entry.keyPath).topic", "bridge: export '\(topic.value)' carries") else { continue }
            bridge.exports.append(resolvedTopic(entry, topic.value, resolved.type))
        }
        for entry in section.imports {
            let topic = bridgeTopicName(entry, seen: &seen, isImport: true)
            guard let type = entry.type else {
                if topic != nil { error(entry.location, "\(entry.keyPath).type", "bridge: import '\(topic!.value)': missing 'type' (the horus type the samples become, e.g. Costmap)") }
                continue
            }
            if let rate = entry.rateLimitHz {
                error(rate.location, "\(entry.keyPath).qos.rate_limit_hz", "bridge: import '\(topic?.value ?? "")': 'rate_limit_hz' applies to exports only")
            }
            if let problem = MessageTypeName.problem(with: type.value) {
                error(type.location, "\(entry.keyPath).type", "bridge: import '\(topic?.value ?? "")': \(problem)")
                continue
            }
            guard let typeName = try? MessageTypeName(validating: type.value) else { continue }
            let typeOK = bridgeable(type.value, type, "\(entry.keyPath).type", "bridge: import '\(topic?.value ?? "")': type")
            guard let topic else { continue }
            if let resolved = byName[topic.value], let pub = resolved.publishers.first {
                error(topic.location, "\(entry.keyPath).topic",
                      "bridge: import '\(topic.value)' is also published by \(pub) in the graph; an imported topic must have the bridge as its only publisher")
                continue
            }
            if typeOK { bridge.imports.append(resolvedTopic(entry, topic.value, typeName)) }
        }
        return bridge
    }

    /// The entry's topic if it is a valid, bridgeable name used once; reports otherwise.
    private mutating func bridgeTopicName(_ entry: BridgeTopicSpec, seen: inout [String: BridgeTopicSpec],
                                          isImport: Bool) -> Located<String>? {
        guard let topic = entry.topic else { return nil }
        let path = "\(entry.keyPath).topic", way = isImport ? "import" : "export"
        if let problem = TopicName.problem(with: topic.value) ?? bridgeRules?.topicNameProblem(topic.value) {
            error(topic.location, path, "bridge: \(way) '\(topic.value)': \(problem)")
            return nil
        }
        if let first = seen[topic.value] {
            let firstWay = first.keyPath.hasPrefix("bridge.import") ? "import" : "export"
            let what = firstWay == way ? "is \(way)ed twice" : "is both imported and exported (it would be sent back to where it came from)"
            error(topic.location, path, "bridge: topic '\(topic.value)' \(what); first at \(first.keyPath) (line \(first.location.line))")
            return nil
        }
        seen[topic.value] = entry
        return topic
    }

    /// Whether `type` has a ROS 2 mapping under the injected rules (always, without rules).
    private mutating func bridgeable(_ type: String, _ at: Located<String>, _ keyPath: String, _ lead: String) -> Bool {
        guard let rules = bridgeRules, !rules.bridgeableTypes.contains(type) else { return true }
        error(at.location, keyPath, "\(lead) '\(type)', which has no ROS 2 mapping (bridgeable: \(rules.bridgeableTypes.joined(separator: ", ")))")
        return false
    }

    private func resolvedTopic(_ entry: BridgeTopicSpec, _ topic: String, _ type: MessageTypeName) -> ResolvedBridge.Topic {
        ResolvedBridge.Topic(topic: topic, type: type, reliable: entry.reliable?.value ?? true,
                             depth: entry.depth?.value ?? 1, rateLimitHz: entry.rateLimitHz?.value)
    }
}
