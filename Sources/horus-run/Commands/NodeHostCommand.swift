import ArgumentParser
import CHorus
import Foundation
import HorusGraph
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run node-host GRAPH --node NAME --parent-pid PID` (hidden): runs ONE node of a
/// graph in this process. The runner starts it for every `isolate: process` node
/// (`IsolatedSpawner`). The node's ports attach the same topics and pool as the parent's
/// (same HORUS_NAMESPACE, by name), so messages still cross without copies. It ticks the
/// node like the runner would (periodic at its rate, or when its trigger input has data)
/// until SIGTERM, or until the parent dies (PR_SET_PDEATHSIG).
struct NodeHostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node-host",
        abstract: "Run one node of a graph in this process (used by `isolate: process`).",
        shouldDisplay: false
    )

    @Argument(help: "The graph file (YAML).")
    var graph: String

    @Option(name: .long, help: "The node to run.")
    var node: String

    @Option(name: .customLong("parent-pid"), help: "Exit when this process (the runner) is gone.")
    var parentPid: Int32?

    func run() throws {
        if let parentPid {
            _ = horus_set_parent_death_signal(SIGTERM)
            if getppid() != parentPid { return }  // the parent died before prctl
        }
        StopSignal.install()
        try withExitCodes {
            let loaded = try LoadedGraph.load(graph)
            // The parent already printed the warnings; print only errors (e.g. the file changed).
            guard let validated = loaded.report.graph, !loaded.report.hasErrors else {
                loaded.printDiagnostics()
                throw ExitCodeError.validation
            }
            guard validated.nodes.contains(where: { $0.name == node }) else {
                Console.errLine("horus-run node-host: no node '\(node)' in \(graph)")
                throw ExitCodeError.validation
            }
            var options = RunOptions(log: { Console.errLine($0) })
            options.excludedNodes = Set(validated.nodes.map(\.name).filter { $0 != node })
            options.blockingNodes = [node]  // its publishers are in other processes
            options.workers = 1
            let runner: GraphRunner
            do {
                runner = try GraphRunner(graph: validated, catalog: loaded.catalog, options: options)
                try runner.start()
            } catch {
                Console.errLine("horus-run node-host: \(error)")
                throw ExitCodeError.nodeFailed
            }
            let parent = parentPid
            try runner.run(statusInterval: 3600, shouldStop: {
                StopSignal.requested || (parent != nil && getppid() != parent)
            })
            if let s = runner.statuses.first {
                Console.errLine("[\(node)] node-host \(getpid()) stopped: \(s.ticks) ticks, \(s.messagesOut) published, \(s.errors) errors")
            }
        }
    }
}

/// How the runner starts `isolate: process` nodes: this executable, re-executed as
/// `node-host` for the same graph file. Children inherit the environment (HORUS_NAMESPACE,
/// HORUS_POOL, HORUS_PLUGIN_PATH); their stdout goes to stderr so `--json` stays clean.
enum IsolatedSpawner {
    static func make(graphPath: String) -> NodeSupervisor.Spawn {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let graph = URL(fileURLWithPath: graphPath).standardizedFileURL.path
        let parent = getpid()
        // Crashing children should die at once, not spend seconds symbolicating a backtrace.
        setenv("SWIFT_BACKTRACE", "enable=no", 0)
        return { node in
            let args = [exe, "node-host", graph, "--node", node.name, "--parent-pid", "\(parent)"]
            var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
            cargs.append(nil)
            defer { for p in cargs { free(p) } }
            let pid = horus_spawn(exe, cargs, 1)
            if pid < 0 { throw NodeError(node: node.name, phase: "start", message: "spawn \(exe): \(String(cString: strerror(-pid)))") }
            return pid
        }
    }
}
