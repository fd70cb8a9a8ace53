import Foundation
import HorusGraph
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// How a recording is replayed.
public struct ReplayOptions: Sendable {
    /// Playback speed (1.0 = real time). Ignored with `fast` or `deterministic`.
    public var rate: Double = 1.0
    /// Publish as fast as the graph takes messages, without drops: wait until every
    /// triggered node's input is drained (and nothing runs) before the next message.
    public var fast = false
    /// Seconds from the first message to start at / stop after.
    public var start: Double?
    public var end: Double?
    /// Replay the recording again after it ends (`loops` times; nil: until stopped).
    public var loop = false
    public var loops: Int?
    /// Single-threaded deterministic execution (graph order; implies as-fast-as-possible).
    public var deterministic = false
    /// Recorded topics to publish (nil: the recorded topics of the graph's source nodes).
    public var topics: [String]?
    /// Record these output topics to `output` (nil: every topic the running nodes publish).
    public var output: String?
    public var outputTopics: [String]?
    /// Worker threads for non-deterministic replay.
    public var workers: Int?
    /// Pool the replayed messages and the graph allocate from (default: HORUS_POOL or "default").
    public var poolName: String?
    /// Recorded topic -> graph topic (`--remap /from:=/to`).
    public var remaps: [String: String] = [:]
    /// Encoding of the `output` recording.
    public var outputEncoding: RecordEncoding = .ros2

    public init(rate: Double = 1.0, fast: Bool = false, start: Double? = nil, end: Double? = nil, loop: Bool = false,
                loops: Int? = nil, deterministic: Bool = false, topics: [String]? = nil, output: String? = nil,
                outputTopics: [String]? = nil, workers: Int? = nil, poolName: String? = nil) {
        self.poolName = poolName
        self.rate = rate
        self.fast = fast
        self.start = start
        self.end = end
        self.loop = loop
        self.loops = loops
        self.deterministic = deterministic
        self.topics = topics
        self.output = output
        self.outputTopics = outputTopics
        self.workers = workers
    }
}

/// What a replay did.
public struct ReplaySummary: Sendable {
    public var published: UInt64
    public var perTopic: [String: UInt64]
    public var replacedNodes: [String]
    public var wallSeconds: Double
    public var recording: Recorder.Summary?
    /// Messages lost by the graph's inputs during the replay.
    public var graphDrops: UInt64
    public var messagesPerSecond: Double { wallSeconds > 0 ? Double(published) / wallSeconds : 0 }
}

/// Replays a recording into a graph: the recorded topics are published in place of the
/// nodes that produced them (those nodes are not started), the graph clock follows
/// recorded time (a `ManualClock` set to each message's log time).
public final class Replayer {
    public let input: String
    public let graph: ValidatedGraph
    public let options: ReplayOptions
    public let replayedTopics: [String]
    public let replacedNodes: [String]
    public let clock = ManualClock()
    /// The recording (file or bag directory) with its channels' horus types.
    public let source: RecordingSource
    private let catalog: NodeCatalog
    private let log: @Sendable (String) -> Void
    /// The graph runner (available after `run` starts; for harnesses).
    public private(set) var runner: GraphRunner?

    public init(input: String, graph: ValidatedGraph, catalog: NodeCatalog, options: ReplayOptions = ReplayOptions(),
                log: @escaping @Sendable (String) -> Void = { print($0) }) throws {
        self.input = input
        self.graph = graph
        self.options = options
        self.catalog = catalog
        self.log = log
        source = try RecordingSource(path: input, remaps: options.remaps, salvage: true)
        if let note = source.unsupportedNote { log(note) }
        let recorded = Set(source.channels.filter { !$0.typeNames.isEmpty }.map(\.topic))
        let plan = try Self.plan(graph: graph, recorded: recorded, requested: options.topics)
        replayedTopics = plan.topics
        replacedNodes = plan.nodes
    }

    /// Which topics are published and which nodes they replace: the recorded outputs of source
    /// nodes, and the recorded topics that graph inputs read but no node produces (a robot's bag).
    public static func plan(graph: ValidatedGraph, recorded: Set<String>, requested: [String]?) throws -> (topics: [String], nodes: [String]) {
        var topics: [String]
        if let requested {
            for t in requested where !recorded.contains(t) { throw RecordError("topic '\(t)' is not in the recording") }
            for t in requested where graph.topic(t) == nil { throw RecordError("topic '\(t)' is not in graph '\(graph.name)'") }
            topics = requested
        } else {
            let sources = graph.nodes.filter { $0.inputs.isEmpty && $0.outputs.values.contains { recorded.contains($0) } }
            topics = sources.flatMap { $0.outputs.values.filter { recorded.contains($0) } }
            topics += graph.topics.filter { $0.publishers.isEmpty && !$0.subscribers.isEmpty && recorded.contains($0.name) }.map(\.name)
        }
        topics = Array(Set(topics)).sorted()
        let nodes = graph.nodes.filter { n in n.outputs.values.contains { topics.contains($0) } }.map(\.name)
        if topics.isEmpty { throw RecordError("nothing to replay: no recorded topic is produced by a source node of '\(graph.name)' (recorded: \(recorded.sorted().joined(separator: ", ")))") }
        return (topics, nodes)
    }

    /// Replays until the recording (or `end`, or the loops) is done or `shouldStop`.
    public func run(shouldStop: @escaping () -> Bool = { false }) throws -> ReplaySummary {
        let reader = source.reader
        let stats = reader.statistics
        var runOptions = RunOptions(workers: options.workers, clock: clock, poolName: options.poolName,
                                    excludedNodes: Set(replacedNodes), log: log)
        runOptions.duration = nil
        clock.set(stats.messageStartTime)
        let runner = try GraphRunner(graph: graph, catalog: catalog, options: runOptions)
        self.runner = runner
        typealias Feed = (inj: RecordInjector, decode: (UnsafeRawBufferPointer) throws -> Any)
        var injectors: [UInt16: Feed] = [:]
        var byTopic: [String: RecordInjector] = [:]
        for t in replayedTopics { byTopic[t] = try RecordInjector(runner: runner, topic: t) }
        for ch in source.channels { if let inj = byTopic[ch.topic] { injectors[ch.id] = (inj, try inj.decoder(for: ch)) } }
        var indexByChannel: [UInt16: Int] = [:]
        func decode(_ feed: Feed, _ msg: MCAPMessageView) throws -> Any {
            let i = indexByChannel[msg.channelID, default: 0]
            indexByChannel[msg.channelID] = i + 1
            do { return try feed.decode(msg.data) } catch {
                throw RecordError("\(source.path): topic '\(feed.inj.topic)' message \(i): \(error)")
            }
        }

        var recorder: Recorder?
        if let out = options.output {
            let topics = options.outputTopics ?? runner.producedTopics
            recorder = try Recorder(path: out, graph: graph, topics: topics, encoding: options.outputEncoding, clock: clock)
        }
        // Every way out (a damaged recording, a decode or publish error) stops the graph and the
        // recorder first: their threads must not outlive this call (they crashed or hung the exit).
        var finished = false
        defer {
            if !finished {
                runner.stop()
                _ = try? recorder?.stop()
            }
        }
        if options.deterministic { try runner.startDeterministic() } else {
            try runner.start()
            recorder?.start()
        }

        let first = stats.messageStartTime
        let from = first &+ UInt64(max(0, options.start ?? 0) * 1e9)
        let to = options.end.map { first &+ UInt64(max(0, $0) * 1e9) } ?? UInt64.max
        let span = (min(to, stats.messageEndTime) &- from) &+ 1_000_000
        var published: UInt64 = 0
        var perTopic: [String: UInt64] = [:]
        let wall0 = Date()
        var loop = 0
        var stopped = false
        struct Stop: Error {}
        repeat {
            let shift = UInt64(loop) &* span
            var wallStart: Double?
            var group: [(RecordInjector, Any)] = []
            var groupTime: UInt64 = 0
            func flushGroup() throws {
                guard !group.isEmpty else { return }
                clock.set(groupTime)
                for (inj, m) in group {
                    try inj.publish(m)
                    published += 1
                    perTopic[inj.topic, default: 0] += 1
                }
                group.removeAll(keepingCapacity: true)
                runner.step()
                try recorder?.drain()
            }
            do {
                try reader.forEachMessage { msg in
                    if shouldStop() { stopped = true; throw Stop() }
                    guard msg.logTime >= from, msg.logTime <= to, let feed = injectors[msg.channelID] else { return }
                    let inj = feed.inj
                    let t = msg.logTime &+ shift
                    if options.deterministic {
                        if t != groupTime { try flushGroup() }
                        groupTime = t
                        group.append((inj, try decode(feed, msg)))
                        return
                    }
                    let m = try decode(feed, msg)
                    if options.fast {
                        while !runner.isIdle && !shouldStop() { usleep(50) }
                    } else {
                        let offset = Double(msg.logTime - from) / 1e9 / max(options.rate, 1e-6)
                        if wallStart == nil { wallStart = Date().timeIntervalSince1970 - offset }
                        let due = wallStart! + offset
                        while true {
                            let now = Date().timeIntervalSince1970
                            if now >= due || shouldStop() { break }
                            usleep(useconds_t(min(0.01, due - now) * 1e6))
                        }
                    }
                    clock.set(t)
                    try inj.publish(m)
                    published += 1
                    perTopic[inj.topic, default: 0] += 1
                }
                if options.deterministic { try flushGroup() }
            } catch is Stop {}
            loop += 1
            if stopped { break }
        } while options.loop && (options.loops.map { loop < $0 } ?? true) && !shouldStop()

        // Let the graph finish what it was given.
        if options.deterministic {
            runner.step()
        } else {
            let deadline = Date().addingTimeInterval(10)
            while !runner.isIdle && Date() < deadline && !shouldStop() { usleep(1000) }
            usleep(20_000)
        }
        runner.stop()
        finished = true
        for region in reader.skipped { log("replay: skipped damaged \(region)") }
        let drops = runner.statuses.reduce(0) { $0 + $1.drops }
        let recSummary = try recorder?.stop()
        return ReplaySummary(published: published, perTopic: perTopic, replacedNodes: replacedNodes,
                             wallSeconds: Date().timeIntervalSince(wall0), recording: recSummary, graphDrops: drops)
    }
}
