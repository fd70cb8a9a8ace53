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
    /// Wakes on imported samples and (from the exporters' wake threads) on horus publishes.
    private let waitSet: DDSWaitSet

    /// Loads DDS (or throws its one-line message), makes the participant and the imports' readers
    /// and publishers, and opens the exported topics that exist already.
    public init(spec: BridgeSpec, library: DDSLibrary? = nil) throws {
        try spec.validate()
        self.spec = spec
        participant = try DDSParticipant(domain: spec.domain, library: library ?? DDSLibrary.shared())
        let pool = try Pool.shared()
        waitSet = try DDSWaitSet(participant: participant)
        for i in spec.imports {
            let importer = try BridgeImporter(spec: i, participant: participant, pool: pool)
            try waitSet.attach(importer.reader)
            importers.append(importer)
        }
        pendingExports = spec.exports
        openPendingExports()
    }

    /// Exported topics not yet open (their publisher has not created them).
    public var waitingFor: [String] { pendingExports.map(\.topic) }

    /// Counters of every open bridged topic.
    public var stats: [BridgeTopicStats] { exporters.map(\.stats) + importers.map(\.stats) }

    /// Moves messages until `stop` returns true; calls `report` about every `reportInterval` seconds.
    /// Between messages the thread polls for `spinNanoseconds` after the last one moved (a reply
    /// that follows at once is taken without a wakeup), then sleeps on a DDS waitset that wakes on
    /// an imported sample or (through one small thread per exported topic, asleep on the ring's
    /// futex, ended when the export is refused) on a horus publish: no CPU while idle. `stop` is checked at least every 100 ms.
    public func run(reportInterval: Double = 1, spinNanoseconds: UInt64 = 100_000,
                    stop: () -> Bool, report: (Bridge) -> Void = { _ in }) {
        var lastReport = horus_monotonic_ns()
        var lastActivity: UInt64 = 0
        defer { stopWakers { _ in true } }
        let reportNs = UInt64(Swift.max(0.001, reportInterval) * 1e9)
        while !stop() {
            startWakers()
            let now = horus_monotonic_ns()
            var handled = 0
            for e in exporters { handled += e.pump(nowNs: now) }
            if refusedSinceLastPump {
                refusedSinceLastPump = false
                stopWakers { exporters[$0].refusal != nil }
            }
            for i in importers { handled += i.pump() }
            if now &- lastRetryNs >= 1_000_000_000 {
                lastRetryNs = now
                openPendingExports()
                for i in importers { i.refreshCounters() }
            }
            if now &- lastReport >= reportNs {
                lastReport = now
                report(self)
            }
            if handled > 0 { lastActivity = now; continue }
            if now &- lastActivity < spinNanoseconds { sched_yield(); continue }
            // Sleep until a sample, a publish, the next retry or report, or 100 ms (stop check).
            let due = Swift.min(lastRetryNs &+ 1_000_000_000, lastReport &+ reportNs)
            var timeout = Int64(clamping: due > now ? due - now : 0)
            timeout = Swift.min(timeout, unwatched ? 1_000_000 : 100_000_000)
            if (try? waitSet.wait(timeoutNanoseconds: timeout)) == nil { usleep(1000) }
        }
        for i in importers { _ = i.pump(); i.refreshCounters() }
        for e in exporters { _ = e.pump(nowNs: horus_monotonic_ns()) }
    }

    /// The wake thread of each exporter (by index in `exporters`) that has one.
    private var wakers: [Int: BridgeWaker] = [:]
    /// Exporters `0..<wakersChecked` got their wake thread (or have none: see `unwatched`).
    private var wakersChecked = 0
    /// Exporters that cannot be slept on (no publish watch): the bridge waits at most 1 ms at a time.
    private var unwatched = false

    /// Starts the wake thread of every exporter opened since the last call.
    private func startWakers() {
        while wakersChecked < exporters.count {
            let e = exporters[wakersChecked]
            if let watch = e.tap.publishWatch() {
                wakers[wakersChecked] = BridgeWaker(watch: watch, waitSet: waitSet)
            } else {
                unwatched = true
            }
            wakersChecked += 1
        }
    }

    /// An exporter was refused while pumping: its wake thread is to stop.
    private var refusedSinceLastPump = false

    /// Ends the wake threads of the exporters `which` selects (a refused export's publishes would
    /// otherwise wake the bridge for nothing).
    private func stopWakers(_ which: (Int) -> Bool) {
        for (i, w) in wakers where which(i) {
            w.stop()
            wakers[i] = nil
        }
    }

    private func openPendingExports() {
        pendingExports.removeAll { e in
            do {
                exporters.append(try BridgeExporter(spec: e, participant: participant,
                                                    onRefused: { [unowned self] in
                                                        failedExports.append($0)
                                                        refusedSinceLastPump = true
                                                    }))
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
