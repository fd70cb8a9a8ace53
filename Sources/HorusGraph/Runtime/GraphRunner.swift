import CHorus
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// Instantiates a validated graph (nodes and the topics that wire them), runs it on the
/// scheduler and stops it cleanly. Construction creates every port and configures every
/// node, so configuration errors surface before anything runs.
public final class GraphRunner: @unchecked Sendable {
    public let graph: ValidatedGraph
    public let options: RunOptions
    let scheduled: [ScheduledNode]
    private var scheduler: Scheduler?
    private(set) var startedNs: UInt64 = 0
    private var stopped = false

    public init(graph: ValidatedGraph, catalog: NodeCatalog, options: RunOptions = RunOptions()) throws {
        self.graph = graph
        self.options = options
        let pool = try Pool.open(name: options.poolName ?? ProcessInfoEnv.value("HORUS_POOL") ?? "default")
        let types = MessageTypeCatalog.shared
        var nodes: [ScheduledNode] = []
        // Inputs first, so no message published during configure/start is missed.
        var inputsByNode: [String: [String: AnyInputPort]] = [:]
        for n in graph.nodes where !options.excludedNodes.contains(n.name) {
            var ins: [String: AnyInputPort] = [:]
            for (port, topic) in n.inputs.sorted(by: { $0.key < $1.key }) {
                let t = graph.topic(topic)
                let typeName = n.type.input(port)?.messageType.rawValue ?? t?.type.rawValue ?? ""
                guard let entry = types.entry(typeName) else {
                    throw NodeError(node: n.name, phase: "wire", message: "input '\(port)': message type '\(typeName)' is not registered (known: \(types.names.joined(separator: ", ")))")
                }
                ins[port] = try entry.makeInput(port, topic, t?.capacity ?? 16, t?.history ?? 0)
            }
            inputsByNode[n.name] = ins
        }
        for n in graph.nodes where !options.excludedNodes.contains(n.name) {
            var outs: [String: AnyOutputPort] = [:]
            for (port, topic) in n.outputs.sorted(by: { $0.key < $1.key }) {
                let t = graph.topic(topic)
                let typeName = n.type.output(port)?.messageType.rawValue ?? t?.type.rawValue ?? ""
                guard let entry = types.entry(typeName) else {
                    throw NodeError(node: n.name, phase: "wire", message: "output '\(port)': message type '\(typeName)' is not registered")
                }
                outs[port] = try entry.makeOutput(port, topic, t?.capacity ?? 16, options.clock)
            }
            let log = options.log
            let ctx = NodeContext(nodeName: n.name, params: n.params, clock: options.clock, pool: pool,
                                  outputs: outs, inputs: inputsByNode[n.name] ?? [:], log: log)
            let node: Node
            do { node = try catalog.make(n) } catch {
                throw NodeError(node: n.name, phase: "create", message: "\(error)")
            }
            do { try node.configure(ctx) } catch let e as NodeError { throw e } catch {
                throw NodeError(node: n.name, phase: "configure", message: "\(error)")
            }
            let s = ScheduledNode(spec: n, node: node, context: ctx)
            if let ticks = options.ticks, s.periodNs != nil { s.remainingTicks = ticks }
            nodes.append(s)
        }
        scheduled = nodes
    }

    /// Starts every node (graph order), then the scheduler.
    public func start() throws {
        let scheduler = Scheduler(nodes: scheduled, workers: options.workers)
        // In-process publishers queue the nodes their topic triggers, with no polling delay.
        for producer in scheduled {
            for out in producer.context.outputs.values {
                let listeners = scheduled.filter { s in s.triggerInputs.contains { $0.topic == out.topic } }
                if !listeners.isEmpty {
                    out.onPublish = { [unowned scheduler] in for l in listeners { scheduler.enqueue(l) } }
                }
            }
        }
        for s in scheduled {
            do { try s.node.start(s.context) } catch {
                throw NodeError(node: s.spec.name, phase: "start", message: "\(error)")
            }
        }
        self.scheduler = scheduler
        startedNs = horus_monotonic_ns()
        scheduler.start()
    }

    /// True once a `ticks` budget is spent and everything it produced was processed.
    public var isFinished: Bool {
        guard options.ticks != nil, let scheduler else { return false }
        return scheduler.periodicBudgetsSpent && scheduler.isIdle
    }

    /// Seconds since start.
    public var elapsed: Double { startedNs == 0 ? 0 : Double(horus_monotonic_ns() - startedNs) / 1e9 }

    /// Runs until `shouldStop` returns true, the duration passes or the tick budget is
    /// spent, calling `onStatus` about every `statusInterval` seconds; then stops.
    public func run(statusInterval: Double = 1, shouldStop: () -> Bool = { false }, onStatus: ([NodeStatus]) -> Void = { _ in }) throws {
        if scheduler == nil { try start() }
        var nextStatus = statusInterval
        while !shouldStop() {
            if let d = options.duration, elapsed >= d { break }
            if isFinished { break }
            usleep(10_000)
            if elapsed >= nextStatus {
                onStatus(statuses)
                nextStatus += statusInterval
            }
        }
        stop()
    }

    /// Stops the scheduler, then every node in reverse graph order. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        scheduler?.stop()
        for s in scheduled.reversed() { s.node.stop(s.context) }
    }

    /// A snapshot of every node.
    public var statuses: [NodeStatus] { scheduled.map { $0.status() } }

    /// The node instance called `name` (tests, harnesses).
    public func node(named name: String) -> Node? { scheduled.first { $0.spec.name == name }?.node }
}

/// getenv without Foundation.
enum ProcessInfoEnv {
    static func value(_ key: String) -> String? {
        guard let p = getenv(key) else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }
}
