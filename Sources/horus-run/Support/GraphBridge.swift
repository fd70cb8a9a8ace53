import Atomics
import Foundation
import HorusBridge
import HorusDDS
import HorusGraph
import HorusSystem

/// A graph's `bridge:` section at run time: a `Bridge` (HorusBridge) on its own thread, made
/// after the graph's topics exist and stopped with the graph. DDS is loaded only here.
final class GraphBridge: @unchecked Sendable {
    let spec: BridgeSpec
    /// What the bridge thread last published (a copy; the bridge's own state stays on its thread).
    struct Snapshot {
        var stats: [BridgeTopicStats] = []
        var failedExports: [String] = []
        var waitingFor: [String] = []
        var matched: [String: Int] = [:]
    }
    private var bridge: Bridge?
    private var snapshot = Snapshot()
    private let lock = Mutex()
    private let stopping = ManagedAtomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private var started = false
    private var startedAt = Date()

    /// The rules horus-run validates `bridge:` sections with: HorusBridge's ROS 2 mappings and names.
    static var rules: BridgeRules {
        BridgeRules(bridgeableTypes: BridgeTypes.bridgeable, topicNameProblem: { BridgeTopicName.problem($0) })
    }

    /// The bridge spec of a validated section.
    static func spec(_ r: ResolvedBridge) -> BridgeSpec {
        func qos(_ t: ResolvedBridge.Topic) -> BridgeQoS {
            BridgeQoS(reliable: t.reliable, depth: UInt32(t.depth), rateLimitHz: t.rateLimitHz)
        }
        return BridgeSpec(domain: UInt32(r.domain),
                          exports: r.exports.map { BridgeExport(topic: $0.topic, qos: qos($0)) },
                          imports: r.imports.map { BridgeImport(topic: $0.topic, type: $0.type.rawValue, qos: qos($0)) })
    }

    /// Checks the spec and loads DDS, before anything of the graph starts: a missing libddsc
    /// or libhorus_dds.so throws `DDSError` with its one-line message.
    init(_ resolved: ResolvedBridge) throws {
        spec = Self.spec(resolved)
        try spec.validate()
        _ = try DDSLibrary.shared()
    }

    /// Makes the participant, readers and writers (the graph's topics exist by now) and starts the thread.
    func start() throws {
        let b = try Bridge(spec: spec)
        bridge = b
        publish(from: b)
        started = true
        startedAt = Date()
        let t = Thread { [self] in
            b.run(reportInterval: 0.5, stop: { stopping.load(ordering: .relaxed) }, report: { publish(from: $0) })
            done.signal()
        }
        t.name = "horus-bridge"
        t.start()
    }

    private func publish(from b: Bridge) {
        let s = Snapshot(stats: b.stats, failedExports: b.failedExports, waitingFor: b.waitingFor, matched: b.matched)
        lock.lock(); snapshot = s; lock.unlock()
    }

    /// The latest counters.
    var current: Snapshot { lock.lock(); defer { lock.unlock() }; return snapshot }

    private var previous: (snapshot: Snapshot, at: Date)?

    /// The latest counters, the ones of the previous call and the seconds between (for rates).
    func interval() -> (now: Snapshot, before: Snapshot?, seconds: Double) {
        let now = current, at = Date()
        let before = previous
        previous = (now, at)
        return (now, before?.snapshot, at.timeIntervalSince(before?.at ?? startedAt))
    }

    /// Seconds since the bridge started.
    var elapsed: Double { Date().timeIntervalSince(startedAt) }

    /// Stops the thread (after it drained what was pending) and returns the final counters.
    @discardableResult
    func stop() -> Snapshot {
        guard started else { return current }
        started = false
        stopping.store(true, ordering: .relaxed)
        done.wait()
        if let bridge { publish(from: bridge) }
        return current
    }

    /// One line about the bridge: domain, engine, topics.
    var banner: String {
        let engine = bridge?.participant.library.engineVersion ?? "DDS"
        var parts: [String] = []
        if !spec.exports.isEmpty { parts.append("export " + spec.exports.map(\.topic).joined(separator: ",")) }
        if !spec.imports.isEmpty { parts.append("import " + spec.imports.map { "\($0.topic):\($0.type)" }.joined(separator: ",")) }
        return "bridge: domain \(spec.domain) (\(engine)): " + parts.joined(separator: " ")
    }
}
