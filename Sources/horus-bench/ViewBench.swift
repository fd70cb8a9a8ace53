import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench view`: what serving Foxglove clients costs the main graph's end-to-end latency.
///
/// Each round runs `horus-run graphs/camera_to_costmap.yaml` (release, next to this binary)
/// once per arm, the order rotating per round: without the view (baseline), with `--view` and
/// two clients that subscribe to every topic and read everything, the same with the view's
/// threads at normal priority (`HORUS_VIEW_PRIORITY=normal`: what background priority buys),
/// and with `--view` and one stalled client (subscribes, never reads). The figures are the
/// graph's own end-to-end latency of the costmap (camera timestamp -> costmap published)
/// from its JSON summary; each client's received frames and bytes are printed per run.
struct ViewBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Cost of the Foxglove live view (2 reading clients, 1 stalled) on camera_to_costmap latency.")

    @OptionGroup var common: CommonBenchOptions

    @Option(name: .long, help: "Rounds (each runs every arm once).")
    var rounds = 3

    @Option(name: .long, help: "Seconds per run.")
    var seconds = 10.0

    @Option(name: .long, help: "The graph file.")
    var graph = "graphs/camera_to_costmap.yaml"

    private enum Arm: Int, CaseIterable {
        case baseline, twoClients, twoClientsNormalPriority, stalled
        var label: String {
            ["baseline", "view + 2 clients", "view + 2 clients, view threads at normal priority", "view + 1 stalled client"][rawValue]
        }
    }

    func run() throws {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("horus-run").path
        guard FileManager.default.isExecutableFile(atPath: exe) else { throw BenchClientError("\(exe) not built (swift build -c release --product horus-run)") }
        let arms = Arm.allCases
        var p50 = Array(repeating: [Double](), count: arms.count), p90 = p50, p99 = p50
        var clientNotes: [String] = []
        for r in 0..<rounds {
            // Rotate the order each round so no arm always runs first (the VM's speed drifts).
            for arm in arms.indices.map({ arms[($0 + r) % arms.count] }) {
                if !common.quiet { Progress.note("round \(r + 1)/\(rounds): \(arm.label)") }
                let (run, note) = try runArm(exe: exe, arm: arm, round: r)
                p50[arm.rawValue].append(run.p50 * 1e6); p90[arm.rawValue].append(run.p90 * 1e6); p99[arm.rawValue].append(run.p99 * 1e6)
                if let note { clientNotes.append(note) }
            }
        }
        let runs = "each sample is one run's percentile (\(rounds) runs of \(Fmt1.s(seconds)) s)"
        var results: [BenchResult] = []
        for (name, samples) in [("p50", p50), ("p90", p90), ("p99", p99)] {
            let base = Percentiles(samples[Arm.baseline.rawValue])
            for arm in arms.dropFirst() {
                results.append(BenchResult(name: "e2e \(name), \(arm.label)", stats: Percentiles(samples[arm.rawValue]),
                                           baselineName: "e2e \(name), no view", baseline: base,
                                           goal: name == "p50" && arm != .twoClientsNormalPriority ? .ratioAtMost(1.05) : nil,
                                           note: name == "p50" && arm == .twoClients ? runs : nil))
            }
        }
        for n in clientNotes where !common.quiet { Progress.note(n) }
        BenchOutput.emit(bench: "view", title: "horus-bench view: Foxglove live view vs. camera_to_costmap end-to-end latency", results: results, json: common.json)
    }

    /// One run; returns the costmap's end-to-end p50, p90 and p99 in ms and a note on what the clients received.
    private func runArm(exe: String, arm: Arm, round: Int) throws -> ((p50: Double, p90: Double, p99: Double), String?) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [graph, "--duration", "\(seconds)", "--quiet", "--json"] + (arm == .baseline ? [] : ["--view", "127.0.0.1:0"])
        var env = ProcessInfo.processInfo.environment
        env["HORUS_NAMESPACE"] = "bench-view-\(getpid())-\(round)-\(arm.rawValue)"
        if arm == .twoClientsNormalPriority { env["HORUS_VIEW_PRIORITY"] = "normal" }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        var clients: [ViewBenchClient] = []
        var errText = ""
        if arm != .baseline {
            // The port from "view: Foxglove WebSocket server on ws://127.0.0.1:PORT".
            let h = err.fileHandleForReading
            while !errText.contains("ws://127.0.0.1:") || !errText.hasSuffix("\n") {
                let d = h.availableData
                if d.isEmpty { break }
                errText += String(decoding: d, as: UTF8.self)
            }
            let port = Int(errText.components(separatedBy: "ws://127.0.0.1:").last?.prefix { $0.isNumber } ?? "") ?? 0
            if arm != .stalled {
                clients = try (0..<2).map { _ in try ViewBenchClient(port: port) }
                clients.forEach { $0.startReading() }
            } else {
                clients = [try ViewBenchClient(port: port, receiveBuffer: 4096)]
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let received = clients.map { ($0.frames, $0.bytes) }
        clients.forEach { $0.close() }
        let last = String(decoding: stdout, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let obj = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
              let sink = (obj["sinks"] as? [String])?.first,
              let node = (obj["nodes"] as? [[String: Any]])?.first(where: { $0["name"] as? String == sink }),
              let a = node["latencyP50Ms"] as? Double, let b = node["latencyP90Ms"] as? Double, let c = node["latencyP99Ms"] as? Double else {
            throw BenchClientError("no latency in horus-run's summary (status \(p.terminationStatus)): \(last.prefix(200))")
        }
        let each = received.map { "\($0.0) frames, \($0.1 >> 20) MiB (\(Fmt1.s((Double($0.1) / 1e6 / seconds).rounded())) MB/s)" }
        let note = arm == .baseline ? nil : "round \(round + 1), \(arm.label): client\(clients.count == 1 ? "" : "s") received \(each.joined(separator: "; "))"
        return ((a, b, c), note)
    }
}

enum Fmt1 { static func s(_ v: Double) -> String { String(format: "%g", v) } }
