import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

extension GraphRunner {
    /// Before this graph publishes: a topic it publishes that a live process (another
    /// graph) already publishes gets a warning naming that process, since both streams
    /// would merge; with `exclusive: true` on the topic it is an error instead.
    static func checkOtherPublishers(_ graph: ValidatedGraph, skipped: Set<String>, log: (String) -> Void) throws {
        var mine: [String: String] = [:]  // topic -> first publishing node
        for n in graph.nodes where !skipped.contains(n.name) {
            for topic in n.outputs.values where mine[topic] == nil { mine[topic] = n.name }
        }
        let me = getpid()
        for (topic, node) in mine.sorted(by: { $0.key < $1.key }) {
            guard let ring = try? TopicInspector(topic: topic) else { continue }
            let others = ring.participants.filter { $0.pid != me && $0.publishers > 0 }.map(\.pid)
            guard !others.isEmpty else { continue }
            let who = "pid \(others.map(String.init).joined(separator: ", pid "))"
            if graph.topic(topic)?.exclusive == true {
                throw NodeError(node: node, phase: "wire", message: "topic '\(topic)' is declared exclusive but \(who) already publishes it")
            }
            log("warning: topic '\(topic)' is already published by another process (\(who)); its messages and node '\(node)''s "
                + "will merge. Declare the topic `exclusive: true` to refuse, or use another HORUS_NAMESPACE")
        }
    }
}
