/// Reclaiming an isolated node's output topics after its process dies.
extension GraphRunner {
    /// Opens and closes each output ring of `node` (an `isolate: process` node): opening
    /// detaches participants whose process is gone, and closing as the last participant
    /// removes the segment, so a dead child leaves nothing in /dev/shm.
    static func topicReclaimer(_ node: ResolvedNode, _ graph: ValidatedGraph, _ clock: GraphClock) -> @Sendable () -> Void {
        let outputs = node.outputs.sorted { $0.key < $1.key }.compactMap { port, topic -> (String, String, String, Int?)? in
            let t = graph.topic(topic)
            guard let type = node.type.output(port)?.messageType.rawValue ?? t?.type.rawValue else { return nil }
            return (port, topic, type, t?.capacity)
        }
        return {
            for (port, topic, type, capacity) in outputs {
                guard let entry = MessageTypeCatalog.shared.entry(type) else { continue }
                _ = try? entry.makeOutput(port, topic, capacity, clock)  // dropped at once
            }
        }
    }
}
