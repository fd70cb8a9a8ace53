import HorusMessages
import Foundation
import HorusGraph
import HorusMemory
import HorusNodes
import HorusRecord
import HorusTopics

/// Tests a processing graph deterministically: loads a YAML graph, replaces its source
/// nodes by injected messages or a recording, steps the graph on the caller's thread
/// (graph order, until quiescent) with a manual graph clock, and collects the output
/// topics for assertions on values, counts and timing.
///
///     let h = try PipelineHarness(graphPath: "graphs/camera_to_costmap.yaml", collect: ["/map/costmap"])
///     try h.replay(recording: "run.mcap")
///     let maps = h.messages("/map/costmap", as: Costmap.self)
public final class PipelineHarness {
    /// One collected output sample.
    public struct Collected {
        public let topic: String
        /// The sample's own timestamp (0 if it has none).
        public let timestampNs: UInt64
        /// Graph-clock time when it was collected.
        public let clockNs: UInt64
        /// The step (injection group) that produced it, from 1.
        public let step: Int
        /// The message itself (holds its pool slot while kept).
        public let message: Any?
        /// Its recorded bytes (horus record format).
        public let bytes: [UInt8]
    }

    public let graph: ValidatedGraph
    public let runner: GraphRunner
    public let clock: ManualClock
    /// Nodes replaced by injection (not started).
    public let replacedNodes: [String]
    /// The pool injected messages should be allocated from.
    public var pool: Pool { runner.pool }
    public private(set) var steps = 0

    private var injectors: [String: RecordInjector] = [:]
    private var taps: [RecordTap] = []
    private var collected: [String: [Collected]] = [:]

    /// - Parameters:
    ///   - replacing: nodes whose outputs are injected (nil: every source node, i.e. every node without inputs).
    ///   - collect: topics to collect (nil: every topic the remaining nodes publish).
    public init(graphPath: String, catalog: NodeCatalog? = nil, replacing: [String]? = nil, collect: [String]? = nil,
                startTimeNs: UInt64 = 1_000_000_000) throws {
        let catalog = try catalog ?? BuiltinNodes.catalog()
        BuiltinNodes.registerMessageTypes()
        graph = try GraphLoader.loadValidated(path: graphPath, registry: catalog.registry)
        let replaced = replacing ?? graph.nodes.filter { $0.inputs.isEmpty }.map(\.name)
        for n in replaced where graph.node(n) == nil { throw RecordError("no node '\(n)' in graph '\(graph.name)'") }
        replacedNodes = replaced
        clock = ManualClock(startTimeNs)
        runner = try GraphRunner(graph: graph, catalog: catalog,
                                 options: RunOptions(clock: clock, excludedNodes: Set(replaced), log: { _ in }))
        for n in replaced {
            for topic in graph.node(n)!.outputs.values.sorted() where injectors[topic] == nil {
                injectors[topic] = try RecordInjector(runner: runner, topic: topic)
            }
        }
        let outs = collect ?? runner.producedTopics
        for t in outs {
            guard let topic = graph.topic(t) else { throw RecordError("no topic '\(t)' in graph '\(graph.name)'") }
            guard let codecs = MessageCodecRegistry.shared.codecs(topic.type.rawValue) else {
                throw RecordError("topic '\(t)': type \(topic.type.rawValue) cannot be collected")
            }
            taps.append(try codecs.makeTap(t, topic.capacity))  // joins the graph's ring (opened above): same capacity
            collected[t] = []
        }
        try runner.startDeterministic()
    }

    deinit { runner.stop() }

    /// Topics that injections can publish on (the replaced nodes' outputs).
    public var injectableTopics: [String] { injectors.keys.sorted() }

    /// Publishes `messages` (topic, message) at graph time `timeNs`, then steps the graph
    /// until quiescent and collects the outputs.
    public func inject(_ messages: [(topic: String, message: Any)], at timeNs: UInt64) throws {
        clock.set(timeNs)
        for (topic, m) in messages {
            guard let inj = injectors[topic] else {
                throw RecordError("cannot inject on '\(topic)': not an output of a replaced node (\(injectableTopics.joined(separator: ", ")))")
            }
            try inj.publish(m)
        }
        step()
    }

    /// Publishes one message at `timeNs` and steps.
    public func inject<M: TopicMessage>(_ topic: String, _ message: M, at timeNs: UInt64) throws {
        try inject([(topic, message)], at: timeNs)
    }

    /// Runs the graph until quiescent (and due periodic nodes) and collects outputs.
    public func step() {
        runner.step()
        steps += 1
        let now = clock.now()
        for tap in taps {
            while let s = tap.next() {
                var bytes = s.header
                bytes.append(contentsOf: s.payload)
                collected[tap.topic, default: []].append(
                    Collected(topic: tap.topic, timestampNs: s.timestampNs, clockNs: now, step: steps, message: s.owner, bytes: bytes))
            }
        }
    }

    /// Advances the graph clock by `seconds` and steps: periodic nodes that were not
    /// replaced tick when their period (in graph time) has come.
    public func advance(by seconds: Double) {
        clock.set(clock.now() &+ UInt64(seconds * 1e9))
        step()
    }

    /// Replays a recording's messages on the injectable topics it contains, in log-time
    /// order; messages with the same log time are published together, then the graph steps.
    /// `start`/`end` are seconds from the first message. The recording may be an MCAP file or
    /// a rosbag2 directory, in the ROS 2 or the horus encoding. Returns the messages injected.
    @discardableResult
    public func replay(recording path: String, start: Double? = nil, end: Double? = nil) throws -> Int {
        let source = try RecordingSource(path: path)
        let reader = source.reader
        var decoders: [UInt16: (UnsafeRawBufferPointer) throws -> Any] = [:]
        for c in source.channels { if let inj = injectors[c.topic] { decoders[c.id] = try inj.decoder(for: c) } }
        let first = reader.statistics.messageStartTime
        let from = first &+ UInt64(max(0, start ?? 0) * 1e9)
        let to = end.map { first &+ UInt64(max(0, $0) * 1e9) } ?? .max
        var group: [(String, Any)] = []
        var groupTime: UInt64 = 0
        var n = 0
        try reader.forEachMessage { m in
            guard m.logTime >= from, m.logTime <= to, let ch = reader.channels[m.channelID], let decode = decoders[m.channelID] else { return }
            if m.logTime != groupTime && !group.isEmpty {
                try inject(group.map { (topic: $0.0, message: $0.1) }, at: groupTime)
                group.removeAll()
            }
            groupTime = m.logTime
            group.append((ch.topic, try decode(m.data)))
            n += 1
        }
        if !group.isEmpty { try inject(group.map { (topic: $0.0, message: $0.1) }, at: groupTime) }
        return n
    }

    // MARK: - Results

    /// Everything collected on `topic`, in order.
    public func collected(_ topic: String) -> [Collected] { collected[topic] ?? [] }
    /// The number of messages collected on `topic`.
    public func count(_ topic: String) -> Int { collected[topic]?.count ?? 0 }
    /// The collected messages of `topic` as `M`.
    public func messages<M>(_ topic: String, as _: M.Type) -> [M] { collected(topic).compactMap { $0.message as? M } }
    /// The last collected message of `topic` as `M`.
    public func last<M>(_ topic: String, as _: M.Type) -> M? { collected(topic).last?.message as? M }
    /// Timestamps of `topic`'s messages.
    public func timestamps(_ topic: String) -> [UInt64] { collected(topic).map(\.timestampNs) }
    /// Messages lost by any graph input (should be 0: stepping never drops).
    public var drops: UInt64 { runner.statuses.reduce(0) { $0 + $1.drops } }
    /// Forgets collected messages (releasing their slots).
    public func clear() { for k in collected.keys { collected[k] = [] } }

    /// Writes the collected messages of `topics` (default: all) to an MCAP recording.
    public func writeRecording(to path: String, topics: [String]? = nil) throws {
        let w = try MCAPWriter(path: path)
        let names = topics ?? collected.keys.sorted()
        var all: [(UInt64, Int, UInt16, [UInt8])] = []
        var channels = RecordChannels()
        var k = 0
        for name in names {
            guard let t = graph.topic(name), let codecs = MessageCodecRegistry.shared.codecs(t.type.rawValue) else { continue }
            let cid = channels.add(topic: name, typeName: t.type.rawValue, codecs: codecs, ros2: nil, to: w).channel
            for c in collected(name) { all.append((c.timestampNs != 0 ? c.timestampNs : c.clockNs, k, cid, c.bytes)); k += 1 }
        }
        var seq: [UInt16: UInt32] = [:]
        for (t, _, cid, bytes) in all.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            try w.write(channel: cid, sequence: seq[cid, default: 0], logTime: t, publishTime: t, data: bytes)
            seq[cid, default: 0] += 1
        }
        try w.close()
    }
}
