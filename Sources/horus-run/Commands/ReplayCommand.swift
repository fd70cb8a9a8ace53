import HorusGraph
import ArgumentParser
import Foundation
import HorusNodes
import HorusRecord

/// `horus-run replay run.mcap --graph GRAPH.yaml [--rate R | --fast] [--start S] [--end S]
/// [--loop] [--deterministic] [-o out.mcap] [--compare golden.mcap [--tolerance X]]`
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording into a graph in place of the nodes that produced it.")

    @Argument(help: "Recording: an MCAP file or a rosbag2 directory.") var recording: String
    @Option(help: "Graph file (YAML).") var graph: String
    @Option(help: "Playback speed (1.0 = real time).") var rate = 1.0
    @Flag(help: "As fast as the graph takes messages, without drops.") var fast = false
    @Option(help: "Start this many seconds into the recording.") var start: Double?
    @Option(help: "Stop this many seconds into the recording.") var end: Double?
    @Flag(help: "Start over at the end (until Ctrl-C).") var loop = false
    @Flag(help: "Single-threaded, graph-ordered execution: same input, same output bytes.") var deterministic = false
    @Option(help: "Comma-separated recorded topics to publish (default: those of the graph's source nodes).") var topics: String?
    @Option(name: .shortAndLong, help: "Record the graph's outputs to this MCAP file.") var output: String?
    @Option(help: "Comma-separated topics to record with -o (default: every topic the running nodes publish).") var outputTopics: String?
    @Option(help: "Compare the outputs with this golden recording; exit status 1 when they differ.") var compare: String?
    @Option(help: "Absolute tolerance for floating-point data in --compare (integer data is exact).") var tolerance = 0.0
    @Option(help: "Rename a recorded topic for the graph: /recorded:=/graph (repeatable).") var remap: [String] = []
    @Option(help: "Encoding of the -o recording: ros2 or horus (default: ros2).") var encoding = "ros2"

    func validate() throws {
        if RecordEncoding(rawValue: encoding) == nil { throw ValidationError("--encoding '\(encoding)': expected ros2 or horus") }
    }

    func run() throws {
        func list(_ s: String?) -> [String]? { s.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } }
        let catalog = try NodeEnvironment.catalog()  // built-in nodes and plugins, as `run` has
        let remaps = try RecordingSource.parseRemaps(remap)
        // Graph inputs that no node produces may be fed by the recording: validate their types against it.
        let source = try RecordingSource(path: recording, remaps: remaps, salvage: true)
        let g = try GraphLoader.loadValidated(path: graph, registry: catalog.registry, pluginResolver: NodeEnvironment.pluginResolver(),
                                              externalTopics: source.externalTopics, bridgeRules: GraphBridge.rules)
        StopSignal.install()
        var out = output
        var temporary: String?
        if compare != nil && out == nil {
            temporary = NSTemporaryDirectory() + "horus-replay-compare-\(getpid()).mcap"
            out = temporary
        }
        let goldenTopics = try compare.map { MCAPInfo(reader: try RecordingSource(path: $0).reader).topics.map(\.topic) }
        var options = ReplayOptions(rate: rate, fast: fast, start: start, end: end, loop: loop, deterministic: deterministic,
                                    topics: list(topics), output: out,
                                    outputTopics: list(outputTopics) ?? goldenTopics)
        options.remaps = remaps
        options.outputEncoding = RecordEncoding(rawValue: encoding)!
        let replayer = try Replayer(input: recording, graph: g, catalog: catalog, options: options)
        print("replaying \(replayer.replayedTopics.joined(separator: ", ")) in place of \(replayer.replacedNodes.joined(separator: ", "))")
        let s = try replayer.run(shouldStop: { StopSignal.requested })
        print("published \(s.published) messages in \(String(format: "%.2f", s.wallSeconds)) s (\(String(format: "%.0f", s.messagesPerSecond)) msg/s), graph drops: \(s.graphDrops)")
        if let r = s.recording { print(RecordSession.format(r)) }
        defer { if let t = temporary { try? FileManager.default.removeItem(atPath: t) } }
        if let golden = compare, let out {
            let report = try Comparer.compare(expected: golden, actual: out, tolerance: tolerance)
            print(report.formatted)
            if !report.matches { throw ExitCode(1) }
        }
    }
}
