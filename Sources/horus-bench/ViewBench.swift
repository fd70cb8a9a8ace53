import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench view`: what serving Foxglove clients costs the main graph's end-to-end latency.
///
/// Each round runs `horus-run graphs/camera_to_costmap.yaml` (release, next to this binary)
/// three times (the order rotates per round): without the view (baseline), with `--view` and two clients that
/// subscribe to every topic and read everything, and with `--view` and one stalled client
/// (subscribes, never reads). The figure is the graph's own end-to-end latency of the
/// costmap (camera timestamp -> costmap published) from its JSON summary.
struct ViewBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Cost of the Foxglove live view (2 reading clients, 1 stalled) on camera_to_costmap latency.")

    @OptionGroup var common: CommonBenchOptions

    @Option(name: .long, help: "Rounds (each runs the three arms once).")
    var rounds = 3

    @Option(name: .long, help: "Seconds per run.")
    var seconds = 10.0

    @Option(name: .long, help: "The graph file.")
    var graph = "graphs/camera_to_costmap.yaml"

    func run() throws {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("horus-run").path
        guard FileManager.default.isExecutableFile(atPath: exe) else { throw BenchClientError("\(exe) not built (swift build -c release --product horus-run)") }
        var p50: [[Double]] = [[], [], []], p99: [[Double]] = [[], [], []]
        var clientNotes: [String] = []
        for r in 0..<rounds {
            // Rotate the order each round so no arm always runs first (the VM's speed drifts).
            for arm in (0..<3).map({ ($0 + r) % 3 }) {
                if !common.quiet { Progress.note("round \(r + 1)/\(rounds): \(["baseline", "view + 2 clients", "view + 1 stalled client"][arm])") }
                let (a, b, note) = try runArm(exe: exe, arm: arm, round: r)
                p50[arm].append(a * 1e6); p99[arm].append(b * 1e6)
                if let note { clientNotes.append(note) }
            }
        }
        let base50 = Percentiles(p50[0]), base99 = Percentiles(p99[0])
        let results = [
            BenchResult(name: "e2e p50, view + 2 clients", stats: Percentiles(p50[1]), baselineName: "e2e p50, no view", baseline: base50,
                        goal: .ratioAtMost(1.05), note: "each sample is one run's p50 (\(rounds) runs of \(Fmt1.s(seconds)) s)"),
            BenchResult(name: "e2e p50, view + stalled", stats: Percentiles(p50[2]), baselineName: "e2e p50, no view", baseline: base50,
                        goal: .ratioAtMost(1.05), note: "a stalled client should cost nothing"),
            BenchResult(name: "e2e p99, view + 2 clients", stats: Percentiles(p99[1]), baselineName: "e2e p99, no view", baseline: base99,
                        note: "each sample is one run's p99; the graph's summary has no p90"),
        ]
        for n in clientNotes where !common.quiet { Progress.note(n) }
        BenchOutput.emit(bench: "view", title: "horus-bench view: Foxglove live view vs. camera_to_costmap end-to-end latency", results: results, json: common.json)
    }

    /// One run; returns the costmap's end-to-end p50 and p99 in ms and a note on the clients.
    private func runArm(exe: String, arm: Int, round: Int) throws -> (Double, Double, String?) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [graph, "--duration", "\(seconds)", "--quiet", "--json"] + (arm == 0 ? [] : ["--view", "127.0.0.1:0"])
        var env = ProcessInfo.processInfo.environment
        env["HORUS_NAMESPACE"] = "bench-view-\(getpid())-\(round)-\(arm)"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        var clients: [ViewBenchClient] = []
        var errText = ""
        if arm != 0 {
            // The port from "view: Foxglove WebSocket server on ws://127.0.0.1:PORT".
            let h = err.fileHandleForReading
            while !errText.contains("ws://127.0.0.1:") || !errText.hasSuffix("\n") {
                let d = h.availableData
                if d.isEmpty { break }
                errText += String(decoding: d, as: UTF8.self)
            }
            let port = Int(errText.components(separatedBy: "ws://127.0.0.1:").last?.prefix { $0.isNumber } ?? "") ?? 0
            if arm == 1 {
                clients = try (0..<2).map { _ in try ViewBenchClient(port: port) }
                clients.forEach { $0.startReading() }
            } else {
                clients = [try ViewBenchClient(port: port, receiveBuffer: 4096)]
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let received = clients.map(\.bytes)
        clients.forEach { $0.close() }
        let last = String(decoding: stdout, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let obj = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
              let sink = (obj["sinks"] as? [String])?.first,
              let node = (obj["nodes"] as? [[String: Any]])?.first(where: { $0["name"] as? String == sink }),
              let a = node["latencyP50Ms"] as? Double, let b = node["latencyP99Ms"] as? Double else {
            throw BenchClientError("no latency in horus-run's summary (status \(p.terminationStatus)): \(last.prefix(200))")
        }
        let note = arm == 1 ? "round \(round + 1): 2 clients read \(received.map { "\($0 >> 20) MiB" }.joined(separator: ", "))" : nil
        return (a, b, note)
    }
}

enum Fmt1 { static func s(_ v: Double) -> String { String(format: "%g", v) } }
