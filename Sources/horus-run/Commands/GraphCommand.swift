import ArgumentParser
import HorusGraph

/// `horus-run graph GRAPH.yaml [--dot]`: shows the graph's structure.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Show a graph's nodes, triggers, topics and types (or Graphviz dot with --dot).",
        discussion: "Example: horus-run graph graphs/camera_to_costmap.yaml --dot | dot -Tsvg > graph.svg"
    )

    @Argument(help: "The graph file (YAML).")
    var graph: String

    @Flag(name: .long, help: "Print Graphviz dot source instead of the text listing.")
    var dot = false

    func run() throws {
        try withExitCodes {
            let g = try LoadedGraph.load(graph).requireGraph()
            if dot {
                print(GraphDot.render(g), terminator: "")
            } else {
                for line in Self.listing(g) { print(line) }
            }
        }
    }

    /// The text listing: nodes in execution order with trigger and wiring, then topics.
    static func listing(_ g: ValidatedGraph) -> [String] {
        var out = ["graph \(g.name) (\(g.sourceFile))", "", "nodes (execution order):"]
        for n in g.nodes {
            var head = "  \(n.name) [\(n.type.name)] \(n.trigger)"
            if case .plugin(let path) = n.source { head += " plugin=\(path)" }
            if n.isolation != .none { head += " isolate=\(n.isolation)" }
            out.append(head)
            for (port, topic) in n.inputs.sorted(by: { $0.key < $1.key }) {
                out.append("    in  \(port) <- \(topic) : \(g.topic(topic)?.type.rawValue ?? "?")")
            }
            for (port, topic) in n.outputs.sorted(by: { $0.key < $1.key }) {
                out.append("    out \(port) -> \(topic) : \(g.topic(topic)?.type.rawValue ?? "?")")
            }
            let params = n.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if !params.isEmpty { out.append("    params " + params.joined(separator: " ")) }
        }
        out.append("")
        out.append("topics:")
        for t in g.topics {
            var line = "  \(t.name) : \(t.type.rawValue)"
            if let c = t.capacity { line += " capacity=\(c)" }
            if let h = t.history { line += " history=\(h)" }
            line += "  pub: " + (t.publishers.isEmpty ? "-" : t.publishers.map(\.description).joined(separator: ", "))
            line += "  sub: " + (t.subscribers.isEmpty ? "-" : t.subscribers.map(\.description).joined(separator: ", "))
            out.append(line)
        }
        return out
    }
}
