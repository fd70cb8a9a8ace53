/// Renders a validated graph as Graphviz dot: nodes as boxes (labelled with their type),
/// topics as ellipses, and edges labelled with port names and message types.
public enum GraphDot {
    /// The dot source for `graph`; deterministic (follows node and topic order).
    public static func render(_ graph: ValidatedGraph) -> String {
        var lines = ["digraph \(quote(graph.name)) {", "  rankdir=LR;"]
        for node in graph.nodes {
            lines.append("  \(quote("node:" + node.name)) [shape=box, label=\(quote("\(node.name)\n\(node.type.name)"))];")
        }
        for topic in graph.topics {
            lines.append("  \(quote("topic:" + topic.name)) [shape=ellipse, label=\(quote("\(topic.name)\n\(topic.type)"))];")
        }
        for node in graph.nodes {
            for (port, topic) in node.outputs.sorted(by: { $0.key < $1.key }) {
                guard let t = graph.topic(topic) else { continue }
                lines.append("  \(quote("node:" + node.name)) -> \(quote("topic:" + topic)) [label=\(quote("\(port): \(t.type)"))];")
            }
        }
        for node in graph.nodes {
            for (port, topic) in node.inputs.sorted(by: { $0.key < $1.key }) {
                guard let t = graph.topic(topic) else { continue }
                lines.append("  \(quote("topic:" + topic)) -> \(quote("node:" + node.name)) [label=\(quote("\(port): \(t.type)"))];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A dot double-quoted string with `"` and `\` escaped and newlines as `\n`.
    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
