/// A topic fed from outside the graph, e.g. a recording's channel during replay: a graph
/// input on it needs no producing node, but its type must be one the source can deliver.
public struct ExternalTopic: Sendable, Equatable {
    /// The message types the source can be delivered as (a sensor_msgs/msg/Image channel: Image, DepthImage).
    public var types: [MessageTypeName]
    /// What feeds it, for messages: "sensor_msgs/msg/Image (cdr) in bag.mcap".
    public var source: String

    public init(types: [MessageTypeName], source: String) {
        self.types = types
        self.source = source
    }
}

extension ValidationRun {
    /// Checks an input on `topic`, which no node publishes, against the external topics:
    /// true if an external topic feeds it (after reporting a type mismatch at the input),
    /// false if nothing does.
    mutating func checkExternalInput(_ topic: String, _ sub: Endpoint) -> Bool {
        guard let ext = externalTopics[topic] else { return false }
        if !ext.types.contains(sub.port.messageType) {
            let check = checks[sub.node]
            let can = ext.types.isEmpty ? "no horus type" : ext.types.map(\.rawValue).joined(separator: " or ")
            error(sub.binding.topic.location, "\(check.spec.keyPath).inputs.\(sub.binding.port.value)",
                  "\(check.spec.label): message type mismatch on '\(topic)': input \(check.describe(sub.port.name)) expects \(sub.port.messageType) but it is fed by \(ext.source), which decodes as \(can)")
        }
        return true
    }
}
