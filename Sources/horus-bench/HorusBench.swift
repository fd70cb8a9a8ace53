import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench`: latency benchmarks for horus. One subcommand per layer; each prints an
/// aligned table on stdout and, with `--json`, one JSON object as the last stdout line.
///
/// To add a benchmark (e.g. `topics`, `nodes`, `record`): write a `ParsableCommand` in
/// its own file that measures with `LatencySampler`, builds `BenchResult`s (each with a
/// baseline measured in the same run where one is meaningful) and ends with
/// `BenchOutput.emit(...)`, then list it in `subcommands` below.
@main
struct HorusBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "horus-bench",
        abstract: "Latency benchmarks for horus (build with -c release).",
        subcommands: [MemoryBench.self, TopicsBench.self, NodesBench.self, RecordBench.self, PluginBench.self, GraphCheckBench.self,
                      PingPongBench.self, ViewBench.self, BridgeBench.self, TopicsPeer.self, PingPongPeer.self, PingPongCostProbe.self, BridgeBenchPeer.self]
    )
}

/// Options every benchmark subcommand shares.
struct CommonBenchOptions: ParsableArguments {
    @Flag(name: .long, help: "Print a one-line JSON summary as the last line of stdout.")
    var json = false

    @Flag(name: .long, help: "No progress messages on stderr.")
    var quiet = false
}

/// Prints a benchmark's results: the table, then (with --json) the JSON line last.
enum BenchOutput {
    static func emit(bench: String, title: String, results: [BenchResult], json: Bool) {
        ResultTable(title: title, results: results).print()
        if json { JSONSummary(bench: bench, results: results).print() }
        fflush(stdout)  // results survive a crash in teardown
    }
}
