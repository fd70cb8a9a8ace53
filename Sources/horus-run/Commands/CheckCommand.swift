import ArgumentParser
import HorusGraph

/// `horus-run check GRAPH.yaml`: validation only.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a graph without running it.",
        discussion: """
        Prints every diagnostic (file:line:column, with a source snippet) to stderr, then \
        `GRAPH: OK (N nodes, M topics)` on stdout, or the error count. Exit status 1 on errors. \
        Never creates shared memory.
        """
    )

    @Argument(help: "The graph file (YAML).")
    var graph: String

    func run() throws {
        let loaded = try LoadedGraph.load(graph)
        loaded.printDiagnostics()
        let report = loaded.report
        if let g = report.graph, !report.hasErrors {
            let w = report.warnings.count
            Console.out("\(graph): OK (\(g.nodes.count) node\(g.nodes.count == 1 ? "" : "s"), \(g.topics.count) topic\(g.topics.count == 1 ? "" : "s")\(w > 0 ? ", \(w) warning\(w == 1 ? "" : "s")" : ""))")
        } else {
            let e = report.errors.count
            Console.out("\(graph): \(e) error\(e == 1 ? "" : "s")")
            throw ExitCode(1)
        }
    }
}
