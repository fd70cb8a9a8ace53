import ArgumentParser
import Foundation
import HorusBridge
import HorusDDS
import HorusTopics
import HorusSystem

/// `horus-run bridge`: horus topics to and from ROS 2 DDS topics, without a graph.
struct BridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Bridge horus topics to and from DDS (ROS 2 compatible, Cyclone DDS).",
        discussion: """
        Exports send live horus topics of this namespace (HORUS_NAMESPACE) to DDS topic rt/<name> \
        with the ROS 2 type of the topic's horus type; imports receive rt/<name> into horus topic \
        <name> as the given horus type (e.g. --import /map/costmap:Costmap). An export whose \
        topic does not exist yet is opened as soon as a publisher creates it. Cyclone DDS is \
        configured by CYCLONEDDS_URI. Prints one status line per topic every --status seconds \
        and a summary at the end; Ctrl-C stops.
        """
    )

    @Option(name: .long, help: "DDS domain id (0...232).")
    var domain: UInt32 = 0

    @Option(name: .long, parsing: .singleValue, help: "Horus topics to export, comma separated (repeatable).")
    var export: [String] = []

    @Option(name: .customLong("import"), parsing: .singleValue, help: "DDS topics to import as TOPIC:TYPE, comma separated (repeatable).")
    var imports: [String] = []

    @Option(name: .long, help: "reliable or best_effort (every bridged topic).")
    var reliability: String = "reliable"

    @Option(name: .long, help: "History depth (every bridged topic): best effort keeps the last N; reliable holds at most N unacknowledged or untaken samples (KEEP_ALL), a write that waits longer than 20 ms is a counted drop.")
    var depth: UInt32 = 1

    @Option(name: .customLong("rate-limit"), help: "Exports send at most this many messages per second per topic.")
    var rateLimit: Double?

    @Option(name: .long, help: "Seconds between status lines (0: none).")
    var status: Double = 1

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    func makeSpec() throws -> BridgeSpec {
        guard reliability == "reliable" || reliability == "best_effort" else {
            throw ValidationError("--reliability must be reliable or best_effort, got '\(reliability)'")
        }
        let qos = BridgeQoS(reliable: reliability == "reliable", depth: depth)
        var spec = BridgeSpec(domain: domain)
        for t in export.flatMap({ $0.split(separator: ",") }) {
            var q = qos
            q.rateLimitHz = rateLimit
            spec.exports.append(BridgeExport(topic: String(t), qos: q))
        }
        for item in imports.flatMap({ $0.split(separator: ",") }) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ValidationError("--import '\(item)': expected TOPIC:TYPE, e.g. /map/costmap:Costmap")
            }
            spec.imports.append(BridgeImport(topic: String(parts[0]), type: String(parts[1]), qos: qos))
        }
        guard !spec.exports.isEmpty || !spec.imports.isEmpty else { throw ValidationError("nothing to bridge: give --export and/or --import") }
        do { try spec.validate() } catch let e as BridgeError { throw ValidationError(e.description) }
        return spec
    }

    func validate() throws {
        _ = try makeSpec()
        if !(status >= 0) { throw ValidationError("--status must be >= 0") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be > 0") }
    }

    func run() throws {
        let bridge: Bridge
        do { bridge = try Bridge(spec: try makeSpec()) } catch let e as DDSError {
            Console.errLine(e.message)
            throw ExitCode(1)
        } catch {
            Console.errLine("horus-run bridge: \(error)")
            throw ExitCode(1)
        }
        StopSignal.install()
        Console.out("bridge domain \(bridge.spec.domain) namespace \(HorusNamespace.current) (\(bridge.participant.library.engineVersion)): "
                    + "export \(bridge.spec.exports.map(\.topic).joined(separator: ",")) import \(bridge.spec.imports.map { "\($0.topic):\($0.type)" }.joined(separator: ","))")
        let start = Date()
        var previous: [String: BridgeTopicStats] = [:]
        var lastReport = Date()
        var reportedFailures = 0
        bridge.run(reportInterval: status > 0 ? status : 3600, stop: {
            StopSignal.requested || duration.map { Date().timeIntervalSince(start) >= $0 } ?? false
        }, report: { b in
            let now = Date(), dt = now.timeIntervalSince(lastReport)
            lastReport = now
            for f in b.failedExports.dropFirst(reportedFailures) { Console.errLine("horus-run bridge: \(f)") }
            reportedFailures = b.failedExports.count
            guard status > 0 else { return }
            let matched = b.matched
            for s in b.stats {
                Console.out("status \(s.line(since: previous[s.topic], seconds: dt)) matched=\(matched[s.topic] ?? 0)")
                previous[s.topic] = s
            }
            for w in b.waitingFor { Console.out("status export \(w) waiting for the topic to appear") }
        })
        let seconds = Date().timeIntervalSince(start)
        for s in bridge.stats { Console.out("summary \(s.line(since: nil, seconds: seconds))") }
        for w in bridge.waitingFor { Console.out("summary export \(w) never appeared") }
        for f in bridge.failedExports { Console.errLine("horus-run bridge: \(f)") }
        if !bridge.failedExports.isEmpty { throw ExitCode(1) }
    }
}
