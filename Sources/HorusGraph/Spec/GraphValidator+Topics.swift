/// Topic checks: names, declared types, publisher/subscriber message types, unpublished inputs,
/// unread topics (warning).
extension ValidationRun {
    struct Endpoint {
        var node: Int  // index into checks
        var binding: PortBinding
        var port: PortSpec
    }

    mutating func checkTopics() -> [ResolvedTopic] {
        var publishers: [String: [Endpoint]] = [:]
        var subscribers: [String: [Endpoint]] = [:]
        var order: [String] = []
        let nameLimit = GraphLimits.topicNameBytes()
        func note(_ t: String) { if publishers[t] == nil && subscribers[t] == nil { order.append(t) } }
        for (i, check) in checks.enumerated() {
            for (section, list) in [("outputs", check.outputs), ("inputs", check.inputs)] {
                for (binding, port) in list {
                    let topic = binding.topic.value
                    if let problem = TopicName.problem(with: topic, limit: nameLimit) {
                        error(binding.topic.location, "\(check.spec.keyPath).\(section).\(binding.port.value)",
                              "\(check.spec.label): \(problem)")
                        continue
                    }
                    note(topic)
                    let endpoint = Endpoint(node: i, binding: binding, port: port)
                    if port.direction == .output { publishers[topic, default: []].append(endpoint) }
                    else { subscribers[topic, default: []].append(endpoint) }
                }
            }
        }
        var declared: [String: TopicDecl] = [:]
        for decl in spec.topics {
            let path = "topics.\(decl.name.value)"
            if let problem = TopicName.problem(with: decl.name.value, limit: nameLimit) {
                error(decl.name.location, path, problem)
                continue
            }
            declared[decl.name.value] = decl
            if let type = decl.type, let problem = MessageTypeName.problem(with: type.value) {
                error(type.location, "\(path).type", "topic '\(decl.name.value)': \(problem)")
            }
            if let cap = decl.capacity, let hist = decl.history, hist.value > cap.value {
                error(hist.location, "\(path).history",
                      "topic '\(decl.name.value)': history \(hist.value) exceeds capacity \(cap.value)")
            }
        }

        let recordedTopics = spec.record?.topics.map { Set($0.map(\.value)) }
        func recorded(_ topic: String) -> Bool {
            guard spec.record != nil else { return false }
            return recordedTopics.map { $0.contains(topic) } ?? true
        }
        var resolved: [ResolvedTopic] = []
        let publishedNames = order.filter { publishers[$0] != nil }
        let external = externalTopics(published: publishedNames)
        for topic in order {
            let pubs = publishers[topic] ?? []
            let subs = subscribers[topic] ?? []
            let decl = declared[topic]
            let declaredType = decl?.type.flatMap { try? MessageTypeName(validating: $0.value) }
            checkPublishers(topic, pubs, decl, declaredType)
            checkSubscribers(topic, subs, pubs, publishedNames)
            if !pubs.isEmpty && subs.isEmpty && !recorded(topic) && !external.contains(topic) {
                let first = pubs[0]
                warning(first.binding.topic.location, "\(checks[first.node].spec.keyPath).outputs.\(first.binding.port.value)",
                        "\(checks[first.node].spec.label): topic '\(topic)' (published by \(checks[first.node].describe(first.port.name))) is not read by any node")
            }
            guard let type = declaredType ?? pubs.first?.port.messageType ?? subs.first?.port.messageType else { continue }
            resolved.append(ResolvedTopic(
                name: topic, type: type, capacity: decl?.capacity?.value, history: decl?.history?.value,
                exclusive: decl?.exclusive?.value ?? false,
                publishers: pubs.map { PortRef(node: checks[$0.node].name ?? "", port: $0.port.name) },
                subscribers: subs.map { PortRef(node: checks[$0.node].name ?? "", port: $0.port.name) }))
        }
        for decl in spec.topics where declared[decl.name.value] != nil && publishers[decl.name.value] == nil
            && subscribers[decl.name.value] == nil {
            let hint = NameSuggester.didYouMean(decl.name.value, from: order)
            warning(decl.name.location, "topics.\(decl.name.value)",
                    "topic '\(decl.name.value)' is declared but no node publishes or reads it\(hint)")
        }
        return resolved.sorted { $0.name < $1.name }
    }

    private mutating func checkPublishers(_ topic: String, _ pubs: [Endpoint], _ decl: TopicDecl?,
                                          _ declaredType: MessageTypeName?) {
        guard let first = pubs.first else { return }
        for pub in pubs.dropFirst() where pub.port.messageType != first.port.messageType {
            let check = checks[pub.node]
            error(pub.binding.topic.location, "\(check.spec.keyPath).outputs.\(pub.binding.port.value)",
                  "\(check.spec.label): topic '\(topic)' has publishers of different types: \(check.describe(pub.port.name)) publishes \(pub.port.messageType) but \(checks[first.node].describe(first.port.name)) publishes \(first.port.messageType)")
        }
        if let declaredType, let typeLoc = decl?.type?.location {
            for pub in pubs where pub.port.messageType != declaredType {
                error(typeLoc, "topics.\(topic).type",
                      "topic '\(topic)' is declared as \(declaredType) but \(checks[pub.node].describe(pub.port.name)) publishes \(pub.port.messageType)")
            }
        }
    }

    private mutating func checkSubscribers(_ topic: String, _ subs: [Endpoint], _ pubs: [Endpoint],
                                           _ publishedNames: [String]) {
        for sub in subs {
            let check = checks[sub.node]
            let keyPath = "\(check.spec.keyPath).inputs.\(sub.binding.port.value)"
            guard let pub = pubs.first(where: { $0.port.messageType != sub.port.messageType }) ?? pubs.first else {
                if checkExternalInput(topic, sub) { continue }
                let hint = NameSuggester.didYouMean(topic, from: publishedNames)
                error(sub.binding.topic.location, keyPath,
                      "\(check.spec.label): input '\(sub.port.name)' subscribes to '\(topic)', which no node publishes\(hint)")
                continue
            }
            if pub.port.messageType != sub.port.messageType {
                error(sub.binding.topic.location, keyPath,
                      "\(check.spec.label): message type mismatch on '\(topic)': \(checks[pub.node].describe(pub.port.name)) publishes \(pub.port.messageType) but input \(check.describe(sub.port.name)) expects \(sub.port.messageType)")
            }
        }
    }

    mutating func checkRecord(knownTopics: [String]) {
        guard let record = spec.record else { return }
        if record.output == nil {
            error(record.location, "record.output", "record: missing 'output' (the recording file, e.g. run.mcap)")
        }
        let known = Set(knownTopics)
        for (i, topic) in (record.topics ?? []).enumerated() where !known.contains(topic.value) {
            let hint = NameSuggester.didYouMean(topic.value, from: knownTopics)
            error(topic.location, "record.topics[\(i)]", "record: topic '\(topic.value)' is not used by any node\(hint)")
        }
    }
}
