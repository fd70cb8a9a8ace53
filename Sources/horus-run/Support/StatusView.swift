import Foundation
import HorusGraph
import HorusSystem

/// Formats node statuses: the live view (redrawn in place on a terminal), the plain
/// periodic line, and the final summary.
struct StatusView {
    let graph: ValidatedGraph

    /// Nodes whose outputs nobody in the graph reads (or that have no outputs): the ends
    /// of the pipeline, whose latency is the end-to-end latency.
    var sinkNames: [String] {
        graph.nodes.filter { node in
            node.outputs.values.allSatisfy { graph.topic($0)?.subscribers.isEmpty ?? true }
        }.map(\.name)
    }

    static func hz(_ s: NodeStatus) -> String {
        let req = s.requestedHz.map { "/" + Fmt.num($0) } ?? ""
        return Fmt.num(s.achievedHz) + req
    }

    /// The live table (per node: type, achieved/requested Hz, tick p50/p99, in/out, drops, latency p50).
    func liveRows(_ statuses: [NodeStatus]) -> [String] {
        var rows = [["node", "type", "Hz (got/want)", "tick p50/p99 us", "in/out", "drops", "lat p50 ms"]]
        for s in statuses {
            rows.append([s.name, s.type, Self.hz(s), "\(Fmt.num(s.tickP50Us))/\(Fmt.num(s.tickP99Us))",
                         "\(s.messagesIn)/\(s.messagesOut)", "\(s.drops)", Fmt.num(s.latencyP50Ms)])
        }
        return Fmt.table(rows)
    }

    /// The summary table: the live columns plus ticks, misses and errors.
    func summaryRows(_ statuses: [NodeStatus]) -> [String] {
        var rows = [["node", "type", "Hz (got/want)", "ticks", "tick p50/p99 us", "in/out", "drops", "misses", "errors", "lat p50/p99 ms"]]
        for s in statuses {
            rows.append([s.name, s.type, Self.hz(s), "\(s.ticks)", "\(Fmt.num(s.tickP50Us))/\(Fmt.num(s.tickP99Us))",
                         "\(s.messagesIn)/\(s.messagesOut)", "\(s.drops)", "\(s.misses)", "\(s.errors)",
                         "\(Fmt.num(s.latencyP50Ms))/\(Fmt.num(s.latencyP99Ms))"])
        }
        return Fmt.table(rows)
    }

    /// One status line for logs: `t=5.0s cam 30.0/30 Hz, cloud 29.9 Hz drops=0 errors=0`.
    func plainLine(_ statuses: [NodeStatus], elapsed: Double) -> String {
        let parts = statuses.map { s -> String in
            var p = "\(s.name) \(Self.hz(s)) Hz"
            if s.drops > 0 { p += " drops=\(s.drops)" }
            if s.errors > 0 { p += " errors=\(s.errors)" }
            return p
        }
        return "[horus-run t=\(Fmt.fixed(elapsed, 1))s] " + parts.joined(separator: ", ")
    }

    /// End-to-end latency lines of the sink nodes.
    func sinkLatencyLines(_ statuses: [NodeStatus]) -> [String] {
        sinkNames.compactMap { name in
            guard let s = statuses.first(where: { $0.name == name }) else { return nil }
            if let p50 = s.latencyP50Ms {
                return "end-to-end latency \(name): p50 \(Fmt.num(p50)) ms, p99 \(Fmt.num(s.latencyP99Ms)) ms"
            }
            // A sink without timestamped outputs: report what arrives at it, i.e. the
            // latency measured at the publishers of its inputs (the worst one).
            let feeders = (graph.node(name)?.inputs.values ?? [:].values)
                .flatMap { graph.topic($0)?.publishers.map(\.node) ?? [] }
                .compactMap { n in statuses.first { $0.name == n } }
                .filter { $0.latencyP50Ms != nil }
            guard let worst = feeders.max(by: { ($0.latencyP50Ms ?? 0) < ($1.latencyP50Ms ?? 0) }) else {
                return "end-to-end latency \(name): - (no timestamped messages)"
            }
            return "end-to-end latency \(name) (as published by \(worst.name)): p50 \(Fmt.num(worst.latencyP50Ms)) ms, p99 \(Fmt.num(worst.latencyP99Ms)) ms"
        }
    }
}

/// Redraws a block of lines in place on a terminal (ANSI cursor-up + clear-to-end).
final class LiveRedraw {
    private var drawnLines = 0
    private var pendingLogs: [String] = []
    private let lock = Mutex()

    /// Queues a log line; it is printed above the table at the next redraw.
    func log(_ line: String) {
        lock.lock(); pendingLogs.append(line); lock.unlock()
    }

    func draw(_ lines: [String]) {
        lock.lock()
        let logs = pendingLogs
        pendingLogs.removeAll()
        lock.unlock()
        var out = ""
        if drawnLines > 0 { out += "\u{1B}[\(drawnLines)A\r" }
        out += "\u{1B}[J"
        for l in logs { out += l + "\n" }
        for l in lines { out += l + "\n" }
        Console.err(out)
        drawnLines = lines.count
    }

    /// Removes the table (before the summary is printed).
    func clear() {
        draw([])
    }
}
