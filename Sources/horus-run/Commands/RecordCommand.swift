import HorusGraph
import ArgumentParser
import HorusNodes
import HorusRecord

/// `horus-run record GRAPH.yaml -o run.mcap [--topics A,B] [--duration S]`
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run a graph and record its topics to an MCAP file (see docs/recording-format.md).")

    @Argument(help: "Graph file (YAML).") var graph: String
    @Option(name: .shortAndLong, help: "Output MCAP file, or DIR/ for a rosbag2 directory (default: the graph's `record: output`).") var output: String?
    @Option(help: "Message encoding: ros2 (CDR with ros2msg schemas; Tensor stays horus) or horus (default: ros2).")
    var encoding = "ros2"
    @Option(help: "Comma-separated topics (default: the graph's `record: topics`, else every topic).") var topics: String?
    @Option(help: "Stop after this many seconds (default: until Ctrl-C).") var duration: Double?
    @Option(help: "Target uncompressed chunk size in bytes (default 4194304). Smaller chunks lose less to a crash.")
    var chunkSize = 4 << 20

    func validate() throws {
        if chunkSize < 1 { throw ValidationError("--chunk-size must be >= 1") }
        if RecordEncoding(rawValue: encoding) == nil { throw ValidationError("--encoding '\(encoding)': expected ros2 or horus") }
    }

    func run() throws {
        let catalog = try NodeEnvironment.catalog()  // built-in nodes and plugins, as `run` has
        let g = try GraphLoader.loadValidated(path: graph, registry: catalog.registry, pluginResolver: NodeEnvironment.pluginResolver(),
                                              bridgeRules: GraphBridge.rules)
        if g.bridge != nil {
            Console.errLine("record: the graph's bridge: section is not run by `horus-run record` (`horus-run run` runs it, with a record: section)")
        }
        StopSignal.install()
        let list = topics.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let summary = try RecordSession.run(graph: g, catalog: catalog, output: output, topics: list, duration: duration,
                                            encoding: RecordEncoding(rawValue: encoding)!, chunkSize: chunkSize, shouldStop: { StopSignal.requested })
        print(RecordSession.format(summary))
        if summary.dropped > 0 { throw ExitCode(2) }
    }
}
