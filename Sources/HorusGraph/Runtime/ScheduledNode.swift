import Atomics
import CHorus

/// A node instance with its context, trigger, ports and counters, as the scheduler
/// holds it. `queued` guarantees one pending or running tick at a time.
final class ScheduledNode: @unchecked Sendable {
    let spec: ResolvedNode
    let node: Node
    let context: NodeContext
    let stats = NodeStats()
    let queued = ManagedAtomic<Bool>(false)
    /// Inputs whose data triggers this node.
    let triggerInputs: [AnyInputPort]
    let periodNs: UInt64?
    var nextDeadline: UInt64 = 0
    /// Ticks left when a tick budget is set (periodic nodes), nil for unlimited.
    var remainingTicks: UInt64?
    /// Repeated tick errors are logged once, then as counts (one tick at a time: no lock).
    private var errorLog = RepeatThrottle()
    /// Names this node if one of its callbacks (configure, start, tick, stop) crashes the process.
    let crashLabel: CrashLabel

    init(spec: ResolvedNode, node: Node, context: NodeContext, crashLabel: CrashLabel) {
        self.spec = spec
        self.node = node
        self.context = context
        self.crashLabel = crashLabel
        switch spec.trigger {
        case let .periodic(hz):
            periodNs = UInt64(1e9 / hz)
            triggerInputs = []
        case .anyInput:
            periodNs = nil
            triggerInputs = Array(context.inputs.values)
        case let .input(port):
            periodNs = nil
            triggerInputs = context.inputs[port].map { [$0] } ?? []
        }
    }

    var hasInput: Bool { triggerInputs.contains { $0.hasPending } }

    /// Runs one tick and records its duration and any error.
    func runTick() {
        let t0 = horus_monotonic_ns()
        do {
            try crashLabel.run { try node.tick(context) }
        } catch {
            stats.errors &+= 1
            let text = context.census.describe(error)
            stats.lastError = text
            for line in errorLog.note("tick failed: \(text)", nowNs: t0) { context.log(line) }
        }
        let t1 = horus_monotonic_ns()
        stats.tickTime.add(t1 - t0)
        if stats.ticks == 0 { stats.firstTickNs = t0 }
        stats.lastTickNs = t0
        stats.ticks &+= 1
    }

    /// Logs the count of repeated tick errors not yet reported (call once ticks have stopped).
    func flushErrorLog() {
        if let line = errorLog.flush() { context.log(line) }
    }

    func status() -> NodeStatus {
        var requested: Double?
        if case let .periodic(hz) = spec.trigger { requested = hz }
        let span = Double(stats.lastTickNs &- stats.firstTickNs) / 1e9
        let achieved = stats.ticks > 1 && span > 0 ? Double(stats.ticks - 1) / span : 0
        let ins = context.inputs.values.reduce(UInt64(0)) { $0 + $1.takenCount }
        let outs = context.outputs.values.reduce(UInt64(0)) { $0 + $1.publishedCount }
        let drops = context.inputs.values.reduce(UInt64(0)) { $0 + $1.droppedCount }
        let lat = context.outputs.values.first { !$0.latency.isEmpty }?.latency
        return NodeStatus(name: spec.name, type: spec.type.name, requestedHz: requested, achievedHz: achieved,
                          ticks: stats.ticks, misses: stats.misses, errors: stats.errors,
                          tickP50Us: Double(stats.tickTime.percentile(50)) / 1e3,
                          tickP99Us: Double(stats.tickTime.percentile(99)) / 1e3,
                          messagesIn: ins, messagesOut: outs, drops: drops,
                          latencyP50Ms: lat.map { Double($0.percentile(50)) / 1e6 },
                          latencyP90Ms: lat.map { Double($0.percentile(90)) / 1e6 },
                          latencyP99Ms: lat.map { Double($0.percentile(99)) / 1e6 },
                          lastError: stats.lastError)
    }
}
