/// Reading the `bridge:` section (see `BridgeSectionSpec`); value checks that need the rest of
/// the graph are `GraphValidator`'s.
extension GraphSpecReader {
    mutating func readBridge(_ entry: SpecEntry) -> BridgeSectionSpec? {
        var bridge = BridgeSectionSpec(location: entry.key.location)
        guard let fields = mapping(entry.value, "bridge", "'bridge'") else { return nil }
        for field in fields {
            let sub = "bridge.\(field.key.value)"
            switch field.key.value {
            case "domain": bridge.domain = integer(field.value, sub, "bridge: 'domain' (the DDS domain id)", in: GraphLimits.bridgeDomain)
            case "export": bridge.exports = readBridgeTopics(field.value, sub, isImport: false)
            case "import": bridge.imports = readBridgeTopics(field.value, sub, isImport: true)
            default: unknownKey(field.key, keyPath: sub, prefix: "bridge", noun: "bridge", allowed: GraphKeys.bridge)
            }
        }
        return bridge
    }

    private mutating func readBridgeTopics(_ value: Located<SpecValue>, _ keyPath: String, isImport: Bool) -> [BridgeTopicSpec] {
        let section = isImport ? "import" : "export"
        switch value.value {
        case .null: return []
        case .list(let items):
            return items.enumerated().compactMap { readBridgeTopic($0.element, "\(keyPath)[\($0.offset)]", isImport: isImport) }
        default:
            let example = isImport ? "[{topic: /cmd/goal, type: Pose}]" : "[/map/costmap]"
            error(value.location, keyPath, "bridge: '\(section)' must be a list of topics (e.g. \(example)), got \(value.value.describedForDiagnostic)")
            return []
        }
    }

    private mutating func readBridgeTopic(_ item: Located<SpecValue>, _ path: String, isImport: Bool) -> BridgeTopicSpec? {
        var topic = BridgeTopicSpec(location: item.location, keyPath: path)
        let label = "bridge: \(path.dropFirst("bridge.".count))"
        if case .string(let name) = item.value, !isImport {  // shorthand: `- /map/costmap`
            topic.topic = Located(name, at: item.location)
            return topic
        }
        let what = isImport ? "a mapping with 'topic' and 'type'" : "a topic name or a mapping with 'topic'"
        guard case .map(let fields) = item.value else {
            error(item.location, path, "\(label) must be \(what), got \(item.value.describedForDiagnostic)")
            return nil
        }
        for field in fields {
            let sub = "\(path).\(field.key.value)"
            switch field.key.value {
            case "topic": topic.topic = string(field.value, sub, "\(label): 'topic'")
            case "type" where isImport: topic.type = string(field.value, sub, "\(label): 'type'")
            case "qos": readBridgeQoS(field.value, sub, label, into: &topic)
            default:
                let allowed = isImport ? GraphKeys.bridgeImport : GraphKeys.bridgeExport
                let noun = isImport ? "import" : "export"
                if field.key.value == "type" {
                    error(field.key.location, sub, "\(label): an export takes no 'type' (it is the type its publishers carry)")
                } else {
                    unknownKey(field.key, keyPath: sub, prefix: label, noun: noun, allowed: allowed)
                }
            }
        }
        if topic.topic == nil, !fields.contains(where: { $0.key.value == "topic" }) {
            error(item.location, path, "\(label): missing 'topic'")
        }
        return topic
    }

    private mutating func readBridgeQoS(_ value: Located<SpecValue>, _ keyPath: String, _ label: String, into topic: inout BridgeTopicSpec) {
        guard let fields = mapping(value, keyPath, "\(label): 'qos'") else { return }
        for field in fields {
            let sub = "\(keyPath).\(field.key.value)"
            switch field.key.value {
            case "reliability":
                let allowed = ["reliable", "best_effort"]
                if case .string(let s) = field.value.value, allowed.contains(s) {
                    topic.reliable = Located(s == "reliable", at: field.value.location)
                } else {
                    var hint = ""
                    if case .string(let s) = field.value.value { hint = NameSuggester.didYouMean(s, from: allowed) }
                    error(field.value.location, sub, "\(label): 'qos.reliability' must be reliable or best_effort, got \(field.value.value.describedForDiagnostic)\(hint)")
                }
            case "depth":
                topic.depth = integer(field.value, sub, "\(label): 'qos.depth'", in: GraphLimits.bridgeDepth)
            case "rate_limit_hz":
                let max = GraphLimits.bridgeMaxRateLimitHz
                if let hz = field.value.value.numericValue, hz > 0, hz <= max {
                    topic.rateLimitHz = Located(hz, at: field.value.location)
                } else {
                    error(field.value.location, sub, "\(label): 'qos.rate_limit_hz' must be a number > 0 and <= \(Int(max)), got \(field.value.value.describedForDiagnostic)")
                }
            default:
                unknownKey(field.key, keyPath: sub, prefix: label, noun: "qos", allowed: GraphKeys.bridgeQoS)
            }
        }
    }
}
