import ArgumentParser
import Foundation
import HorusDDS
import HorusGraph
import HorusRecord

/// `horus-run run GRAPH.yaml` (also the default: `horus-run GRAPH.yaml`).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Validate and run a graph until interrupted, --duration passes or --ticks are done.",
        discussion: """
        The graph is validated first; on any error the diagnostics are printed and nothing \
        is started (no shared memory is created). While running, a live status table is \
        drawn on stderr when it is a terminal, otherwise a status line every few seconds. \
        Ctrl-C (or SIGTERM) stops the graph cleanly and prints the summary; a second Ctrl-C \
        exits at once.
        A `record:` section in the graph file (output, optional topics) records those         topics (default: all) to an MCAP file while the graph runs; the summary reports         messages written and lost.
        A `bridge:` section exports and imports topics over DDS (ROS 2): Cyclone DDS is loaded \
        before anything starts (a missing libddsc fails the run with one line), the bridge \
        starts once the graph's topics exist, and the status and summary show each bridged topic.
        Exit status: 0 on a clean run, 1 if the graph has errors (or its bridge cannot load DDS), 2 if a node failed to be \
        created, configured or started, 3 if an `isolate: process` node with restart policy \
        `never` failed (the graph is stopped), 4 if a node ticked and every one of its ticks \
        failed (its last error is printed). Isolated nodes that crash and are restarted \
        (or given up on after max_restarts) do not change the exit status.
        """
    )

    @Argument(help: "The graph file (YAML).")
    var graph: String

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .long, help: "Stop after every rate-driven node ticked N times (and the rest processed it).")
    var ticks: UInt64?

    @Flag(name: .long, help: "No status output while running (summary only).")
    var quiet = false

    @Flag(name: .long, help: "Print the summary as one JSON object on the last line of stdout.")
    var json = false

    @Option(name: .customLong("view"), help: ArgumentHelp("Serve the graph's topics to Foxglove (WebSocket) on [HOST:]PORT, e.g. 8765.",
                                            discussion: "Binds 127.0.0.1 unless a host is given.", valueName: "[HOST:]PORT"))
    var viewAddress: String?

    @Option(name: .customLong("status-interval"),
            help: "Seconds between status updates (default: 0.5 on a terminal, 5 otherwise).")
    var statusInterval: Double?

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be > 0") }
        if let ticks, ticks == 0 { throw ValidationError("--ticks must be >= 1") }
        if let statusInterval, !(statusInterval > 0) { throw ValidationError("--status-interval must be > 0") }
    }

    func run() throws {
        try withExitCodes { try runGraph() }
    }

    private func runGraph() throws {
        let loaded = try LoadedGraph.load(graph)
        let validated = try loaded.requireGraph()
        let view = StatusView(graph: validated)
        let live = !quiet && Console.stderrIsTTY
        let redraw = live ? LiveRedraw() : nil
        let interval = statusInterval ?? (live ? 0.5 : 5)

        StopSignal.install()
        let log: @Sendable (String) -> Void = { line in
            if let redraw { redraw.log(line) } else { Console.errLine(line) }
        }
        let clock = WallClock()
        var options = RunOptions(duration: duration, ticks: ticks, clock: clock, log: log)
        options.spawnIsolated = IsolatedSpawner.make(graphPath: loaded.path)
        // `bridge:` section: DDS is loaded now, so a missing library stops the run before it starts.
        var bridge: GraphBridge?
        if let section = validated.bridge {
            do { bridge = try GraphBridge(section) } catch let e as DDSError {
                Console.errLine(e.message)
                throw ExitCodeError.validation
            } catch {
                Console.errLine("horus-run: bridge: \(error)")
                throw ExitCodeError.validation
            }
        }
        // `record:` section: subscribe before the graph starts so nothing is missed.
        var recorder: Recorder?
        if let output = validated.record?.output?.value {
            do {
                recorder = try Recorder(path: output, graph: validated, clock: clock)
            } catch {
                Console.errLine("horus-run: record: \(error)")
                throw ExitCodeError.nodeFailed
            }
            recorder?.onWarning = { log("recorder: \($0)") }
        }
        // `--view`: taps are made before the graph starts, like the recorder's.
        var viewBridge: ViewBridge?
        if let viewAddress {
            do {
                let b = try ViewBridge(address: viewAddress)
                viewBridge = b
                for t in validated.topics { try b.add(topic: t.name, typeName: t.type.rawValue, capacity: t.capacity ?? 16) }
            } catch {
                _ = viewBridge?.stop()
                _ = try? recorder?.stop()
                Console.errLine("horus-run: view: \(error)")
                throw ExitCodeError.nodeFailed
            }
        }
        let runner: GraphRunner
        do {
            runner = try GraphRunner(graph: validated, catalog: loaded.catalog, options: options)
        } catch {
            _ = viewBridge?.stop()
            _ = try? recorder?.stop()
            Console.errLine("horus-run: \(error)")
            throw ExitCodeError.nodeFailed
        }
        // The graph's topics exist now (the runner made its ports) and no node has started: the
        // bridge opens its exports and imports here, so it misses nothing published.
        do { try bridge?.start() } catch {
            _ = viewBridge?.stop()
            _ = try? recorder?.stop()
            Console.errLine("horus-run: bridge: \((error as? DDSError)?.message ?? "\(error)")")
            throw ExitCodeError.nodeFailed
        }
        defer { bridge?.stop() }
        do { try runner.start() } catch {
            runner.stop()
            _ = viewBridge?.stop()
            _ = try? recorder?.stop()
            Console.errLine("horus-run: \(error)")
            throw ExitCodeError.nodeFailed
        }
        recorder?.start()
        if let viewBridge {
            viewBridge.start()
            Console.errLine("view: Foxglove WebSocket server on \(viewBridge.url)")
        }
        if !quiet {
            var what = "running \(validated.name): \(validated.nodes.count) nodes, \(validated.topics.count) topics"
            if let duration { what += ", for \(Fmt.num(duration)) s" }
            if let ticks { what += ", \(ticks) ticks" }
            Console.errLine(what + (duration == nil && ticks == nil ? " (Ctrl-C to stop)" : ""))
            if let bridge { Console.errLine(bridge.banner) }
        }
        defer { _ = try? recorder?.stop() }
        try runner.run(statusInterval: interval, shouldStop: { StopSignal.requested }) { statuses in
            guard !quiet else { return }
            let viewLine = viewBridge.map { [$0.statusLine()] } ?? []
            if let redraw {
                let bridgeRows = bridge.map { view.bridgeLiveRows($0) } ?? []
                redraw.draw(view.liveRows(statuses) + bridgeRows + viewLine + ["t=\(Fmt.fixed(runner.elapsed, 1))s  (Ctrl-C to stop)"])
            } else {
                Console.errLine(view.plainLine(statuses, elapsed: runner.elapsed))
                for l in bridge.map({ view.bridgePlainLines($0) }) ?? [] { Console.errLine(l) }
                for l in viewLine { Console.errLine(l) }
            }
        }
        redraw?.clear()
        let bridgeSeconds = bridge?.elapsed ?? 0
        let bridgeFinal = bridge?.stop()
        let statuses = runner.statuses
        let elapsed = runner.elapsed
        var recordSummary: Recorder.Summary?
        if let recorder {
            do { recordSummary = try recorder.stop() } catch { Console.errLine("horus-run: record: \(error)") }
        }
        var summary = ["\(validated.name): ran \(Fmt.fixed(elapsed, 2)) s\(StopSignal.requested ? " (interrupted)" : "")"]
            + view.summaryRows(statuses) + view.sinkLatencyLines(statuses)
            + runner.isolatedStatuses.map { i in
                "isolated \(i.name): \(i.starts) process\(i.starts == 1 ? "" : "es"), \(i.crashes) crash\(i.crashes == 1 ? "" : "es"), "
                    + "\(i.restarts) restart\(i.restarts == 1 ? "" : "s")" + (i.gaveUp ? ", gave up" : "")
                    + (i.lastExit.map { ", last exit: \($0)" } ?? "")
            }
        if let bridgeFinal { summary += view.bridgeSummaryRows(bridgeFinal, seconds: bridgeSeconds) }
        if let viewBridge { summary += viewBridge.stop() }
        if let r = recordSummary {
            summary.append("record: \(r.messages) messages written (\(Fmt.fixed(Double(r.bytes) / 1e6, 1)) MB), \(r.dropped) lost, to \(r.path)")
        }
        if json {
            if !quiet { for l in summary { Console.errLine(l) } }
            Console.out(try RunSummary(graph: validated.name, file: loaded.path, elapsedSeconds: elapsed,
                                       interrupted: StopSignal.requested, nodes: statuses,
                                       sinks: view.sinkNames, isolated: runner.isolatedStatuses,
                                       recordedMessages: recordSummary?.messages,
                                       recordLost: recordSummary?.dropped, recordOutput: recordSummary?.path,
                                       bridge: bridgeFinal.map { BridgeTopicSummary.all($0, seconds: bridgeSeconds) },
                                       bridgeRefused: bridgeFinal?.failedExports).jsonLine())
        } else {
            for l in summary { Console.out(l) }
        }
        let failing = statuses.filter(\.failedEveryTick)
        for n in failing {
            Console.errLine("horus-run: node '\(n.name)' failed every one of its \(n.ticks) tick\(n.ticks == 1 ? "" : "s"): \(n.lastError ?? "unknown error")")
        }
        if runner.stoppedByFailure {
            Console.errLine("horus-run: stopped: an isolated node failed and its restart policy is 'never'")
            throw ExitCodeError.isolatedNodeFailed
        }
        if !failing.isEmpty { throw ExitCodeError.everyTickFailed }
    }
}

/// The `--json` summary.
struct RunSummary: Encodable {
    var graph: String
    var file: String
    var elapsedSeconds: Double
    var interrupted: Bool
    var nodes: [NodeStatus]
    /// Sink node names; their `latencyP50Ms`/`latencyP99Ms` are the end-to-end latencies.
    var sinks: [String]
    /// `isolate: process` nodes: pid, crashes, restarts.
    var isolated: [IsolatedNodeStatus]
    /// With a `record:` section: messages written to and lost by the recording.
    var recordedMessages: UInt64?
    var recordLost: UInt64?
    var recordOutput: String?
    /// With a `bridge:` section: every bridged topic's counters, and exports that were refused.
    var bridge: [BridgeTopicSummary]?
    var bridgeRefused: [String]?

    func jsonLine() throws -> String { try Console.jsonLine(self) }
}
