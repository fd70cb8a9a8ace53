import CHorus
import HorusDDS
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// The bridge engine: one DDS participant and, on the thread that calls `run`, every exported
/// topic's ring cursor and every imported topic's DDS reader. Exports never block the graph (the
/// bridge has its own cursor; what it misses is a counted drop); imported topics are never exported
/// (validated), and this participant never reads its own samples.
public final class Bridge {
    public let spec: BridgeSpec
    public let participant: DDSParticipant
    private var exporters: [BridgeExporter] = []
    private var importers: [BridgeImporter] = []
    /// Exports whose horus topic does not exist yet (no publisher started): retried every second.
    private var pendingExports: [BridgeExport]
    private var lastRetryNs: UInt64 = 0

    /// Loads DDS (or throws its one-line message), makes the participant and the imports' readers
    /// and publishers, and opens the exported topics that exist already.
    public init(spec: BridgeSpec, library: DDSLibrary? = nil) throws {
        try spec.validate()
        self.spec = spec
        participant = try DDSParticipant(domain: spec.domain, library: library ?? DDSLibrary.shared())
        let pool = try Pool.shared()
        for i in spec.imports { importers.append(try BridgeImporter(spec: i, participant: participant, pool: pool)) }
        pendingExports = spec.exports
        openPendingExports()
    }

    /// Exported topics not yet open (their publisher has not created them).
    public var waitingFor: [String] { pendingExports.map(\.topic) }

    /// Counters of every open bridged topic.
    public var stats: [BridgeTopicStats] { exporters.map(\.stats) + importers.map(\.stats) }

    /// Moves messages until `stop` returns true; calls `report` about every `reportInterval` seconds.
    public func run(reportInterval: Double = 1, stop: () -> Bool, report: (Bridge) -> Void = { _ in }) {
        var lastReport = horus_monotonic_ns()
        while !stop() {
            let now = horus_monotonic_ns()
            var handled = 0
            for e in exporters { handled += e.pump(nowNs: now) }
            for i in importers { handled += i.pump() }
            if now &- lastRetryNs >= 1_000_000_000 {
                lastRetryNs = now
                openPendingExports()
                for i in importers { i.refreshCounters() }
            }
            if now &- lastReport >= UInt64(reportInterval * 1e9) {
                lastReport = now
                report(self)
            }
            if handled == 0 { waitBriefly() }
        }
        for i in importers { _ = i.pump(); i.refreshCounters() }
        for e in exporters { _ = e.pump(nowNs: horus_monotonic_ns()) }
    }

    /// Sleeps up to 1 ms: on the only importer's reader (woken by a sample), else plainly.
    private func waitBriefly() {
        if exporters.isEmpty, importers.count == 1 {
            _ = try? importers[0].reader.wait(timeoutNanoseconds: 1_000_000)
        } else {
            usleep(500)
        }
    }

    private func openPendingExports() {
        pendingExports.removeAll { e in
            do {
                exporters.append(try BridgeExporter(spec: e, participant: participant,
                                                    onRefused: { [unowned self] in failedExports.append($0) }))
                return true
            } catch TopicError.notFound {
                return false
            } catch {
                failedExports.append("\(error)")
                return true
            }
        }
    }

    /// Exports that could not be opened (wrong type, no ROS 2 mapping) or were refused because a
    /// bridge importer publishes the topic (see `BridgeExporter`), one message each.
    public private(set) var failedExports: [String] = []

    /// DDS endpoints matched per topic (remote readers for exports, writers for imports).
    public var matched: [String: Int] {
        var m: [String: Int] = [:]
        for e in exporters { m[e.spec.topic] = e.matchedReaders }
        for i in importers { m[i.spec.topic] = i.matchedWriters }
        return m
    }
}
