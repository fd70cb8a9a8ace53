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
    /// Output ports that publish recorded messages in place of excluded nodes (replay).
    private var injected: [AnyOutputPort] = []
    private var deterministic = false
    /// The pool nodes (and replay) allocate from.
    public let pool: Pool
    /// `isolate: process` nodes running in child processes (when `options.spawnIsolated` is set).
    public let supervisors: [NodeSupervisor]

    public init(graph: ValidatedGraph, catalog: NodeCatalog, options: RunOptions = RunOptions()) throws {
        self.graph = graph
        self.options = options
        let pool = try options.poolName.map { try Pool.open(name: $0) } ?? Pool.shared()
        self.pool = pool
        let types = MessageTypeCatalog.shared
        var nodes: [ScheduledNode] = []
        var skipped = options.excludedNodes
        var supervisors: [NodeSupervisor] = []
        let census = HeldMessageCensus()
        if let spawn = options.spawnIsolated {
            for n in graph.nodes where n.isolation == .process && !options.excludedNodes.contains(n.name) {
                skipped.insert(n.name)
                supervisors.append(NodeSupervisor(node: n, pool: pool, log: options.log,
                                                  reclaimTopics: Self.topicReclaimer(n, graph, options.clock), spawn: spawn))
            }
        }
        self.supervisors = supervisors
        // Inputs first, so no message published during configure/start is missed.
        var inputsByNode: [String: [String: AnyInputPort]] = [:]
        for n in graph.nodes where !skipped.contains(n.name) {
            var ins: [String: AnyInputPort] = [:]
            for (port, topic) in n.inputs.sorted(by: { $0.key < $1.key }) {
                let t = graph.topic(topic)
                let typeName = n.type.input(port)?.messageType.rawValue ?? t?.type.rawValue ?? ""
                guard let entry = types.entry(typeName) else {
                    throw NodeError(node: n.name, phase: "wire", message: "input '\(port)': message type '\(typeName)' is not registered (known: \(types.names.joined(separator: ", ")))")
                }
                ins[port] = try entry.makeInput(port, topic, t?.capacity, t?.history ?? 0)
            }
            inputsByNode[n.name] = ins
        }
        try Self.checkOtherPublishers(graph, skipped: skipped, log: options.log)
        for n in graph.nodes where !skipped.contains(n.name) {
            var outs: [String: AnyOutputPort] = [:]
            for (port, topic) in n.outputs.sorted(by: { $0.key < $1.key }) {
                let t = graph.topic(topic)
                let typeName = n.type.output(port)?.messageType.rawValue ?? t?.type.rawValue ?? ""
                guard let entry = types.entry(typeName) else {
                    throw NodeError(node: n.name, phase: "wire", message: "output '\(port)': message type '\(typeName)' is not registered")
                }
                outs[port] = try entry.makeOutput(port, topic, t?.capacity, options.clock)
            }
            let log = options.log
            let gauge = HeldMessageCensus.Gauge(limit: n.maxHeld)
            census.register(n.name, gauge)
            let ctx = NodeContext(nodeName: n.name, params: n.params, clock: options.clock, pool: pool,
                                  outputs: outs, inputs: inputsByNode[n.name] ?? [:], log: log,
                                  heldMessages: gauge, census: census)
            let node: Node
            // A crash in any callback (a plugin's create and configure run here) names the node.
            let label = CrashLabel(node: n)
            do { node = try label.run { try catalog.make(n) } } catch {
                throw NodeError(node: n.name, phase: "create", message: "\(error)")
            }
            do { try label.run { try node.configure(ctx) } } catch let e as NodeError { throw e } catch {
                throw NodeError(node: n.name, phase: "configure", message: "\(error)")
            }
            let s = ScheduledNode(spec: n, node: node, context: ctx, crashLabel: label)
            if let ticks = options.ticks, s.periodNs != nil { s.remainingTicks = ticks }
            nodes.append(s)
        }
        scheduled = nodes
    }

    /// Starts every node (graph order), then the scheduler.
    public func start() throws {
        // Nodes triggered by an isolated node's output wait on the ring instead of polling.
        let isolatedTopics = Set(supervisors.flatMap { $0.node.outputs.values })
        var blockingNodes = options.blockingNodes
        for s in scheduled where s.triggerInputs.count == 1 && isolatedTopics.contains(s.triggerInputs[0].topic) {
            blockingNodes.insert(s.spec.name)
        }
        let scheduler = Scheduler(nodes: scheduled, workers: options.workers, blockingNodes: blockingNodes)
        // In-process publishers queue the nodes their topic triggers, with no polling delay.
        for out in injected { wireListeners(out, scheduler: scheduler) }
        for producer in scheduled {
            for out in producer.context.outputs.values {
                let listeners = scheduled.filter { s in s.triggerInputs.contains { $0.topic == out.topic } }
                if !listeners.isEmpty {
                    out.onPublish = { [unowned scheduler] in for l in listeners { scheduler.enqueue(l) } }
                }
            }
        }
        for s in scheduled {
            do { try s.crashLabel.run { try s.node.start(s.context) } } catch {
                throw NodeError(node: s.spec.name, phase: "start", message: "\(error)")
            }
        }
        for (i, sup) in supervisors.enumerated() {
            do { try sup.start() } catch {
                for started in supervisors[..<i] { started.stop() }
                throw NodeError(node: sup.node.name, phase: "start", message: "could not start its process: \(error)")
            }
        }
        self.scheduler = scheduler
        startedNs = horus_monotonic_ns()
        scheduler.start()
    }

    private func wireListeners(_ out: AnyOutputPort, scheduler: Scheduler) {
        let listeners = scheduled.filter { s in s.triggerInputs.contains { $0.topic == out.topic } }
        if !listeners.isEmpty {
            out.onPublish = { [unowned scheduler] in for l in listeners { scheduler.enqueue(l) } }
        }
    }

    /// An output port on `topic` that publishes in place of the node that produced it
    /// (which the options exclude), for replay and test injection. Call before
    /// `start`/`startDeterministic`.
    public func injectionPort(topic: String) throws -> AnyOutputPort {
        guard let t = graph.topic(topic) else { throw NodeError(node: "replay", phase: "wire", message: "topic '\(topic)' is not in graph '\(graph.name)'") }
        guard let entry = MessageTypeCatalog.shared.entry(t.type.rawValue) else {
            throw NodeError(node: "replay", phase: "wire", message: "topic '\(topic)': type '\(t.type.rawValue)' is not registered")
        }
        let port = try entry.makeOutput("replay", topic, t.capacity, options.clock)
        injected.append(port)
        return port
    }

    // MARK: - Deterministic execution

    /// Starts every node (graph order) without the scheduler: nothing runs until
    /// `runUntilQuiescent` / `tickDuePeriodicNodes`, on the caller's thread.
    public func startDeterministic() throws {
        deterministic = true
        for s in scheduled {
            do { try s.crashLabel.run { try s.node.start(s.context) } } catch {
                throw NodeError(node: s.spec.name, phase: "start", message: "\(error)")
            }
        }
        let now = options.clock.now()
        for s in scheduled where s.periodNs != nil { s.nextDeadline = now }
        startedNs = horus_monotonic_ns()
    }

    /// Runs every input-triggered node, in topological order, while it has input, until
    /// no node has input left (or `maxPasses` sweeps). Returns the ticks run.
    @discardableResult
    public func runUntilQuiescent(maxPasses: Int = 10_000) -> Int {
        var ticks = 0
        for _ in 0..<maxPasses {
            var progressed = false
            for s in scheduled where !s.triggerInputs.isEmpty {
                var spins = 0
                while s.hasInput && spins < 1000 {
                    s.runTick()
                    ticks += 1
                    spins += 1
                    progressed = true
                }
            }
            if !progressed { break }
        }
        return ticks
    }

    /// Ticks (graph order) every periodic node whose next deadline, in graph-clock time,
    /// has come, then runs the graph until quiescent. Returns the ticks run.
    @discardableResult
    public func tickDuePeriodicNodes() -> Int {
        let now = options.clock.now()
        var ticks = 0
        for s in scheduled {
            guard let period = s.periodNs, s.remainingTicks != 0, s.nextDeadline <= now else { continue }
            if let r = s.remainingTicks { s.remainingTicks = r - 1 }
            s.runTick()
            ticks += 1
            s.nextDeadline &+= period
            if s.nextDeadline <= now { s.nextDeadline = now &+ period }
        }
        return ticks + runUntilQuiescent()
    }

    /// One deterministic step: due periodic nodes, then every triggered node until quiescent.
    @discardableResult
    public func step() -> Int { tickDuePeriodicNodes() }

    /// True when no node is queued or running and no triggered node has input waiting.
    public var isIdle: Bool {
        if deterministic || scheduler == nil { return !scheduled.contains { !$0.triggerInputs.isEmpty && $0.hasInput } }
        return scheduler!.isIdle
    }

    /// Names of the topics published by nodes that run (not excluded).
    public var producedTopics: [String] {
        Array(Set(scheduled.flatMap { $0.spec.outputs.values })).sorted()
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
            if supervisors.contains(where: { $0.stopsGraph }) { break }
            usleep(10_000)
            if elapsed >= nextStatus {
                onStatus(statuses)
                nextStatus += statusInterval
            }
        }
        stop()
    }

    /// A started runner released without `stop` stops first, so no scheduler thread outlives it.
    deinit { if scheduler != nil && !stopped { stop() } }

    /// Stops the scheduler, then every node in reverse graph order. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        for s in supervisors { s.stop() }
        scheduler?.stop()
        for s in scheduled { s.flushErrorLog() }
        for s in scheduled.reversed() { s.crashLabel.run { s.node.stop(s.context) } }
    }

    /// Supervision records of the `isolate: process` nodes.
    public var isolatedStatuses: [IsolatedNodeStatus] { supervisors.map(\.status) }

    /// True when an isolated node with `restart: never` failed (the run stopped because of it).
    public var stoppedByFailure: Bool { supervisors.contains { $0.stopsGraph } }

    /// A snapshot of every node.
    public var statuses: [NodeStatus] { scheduled.map { $0.status() } }

    /// The node instance called `name` (tests, harnesses).
    public func node(named name: String) -> Node? { scheduled.first { $0.spec.name == name }?.node }
}
