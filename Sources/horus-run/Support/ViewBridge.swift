import Atomics
import Foundation
import HorusMessages
import HorusSystem
import HorusView

/// Serves horus topics to Foxglove: one `ViewServer`, and one pump thread that drains a
/// record tap per topic (its own cursor on the ring, so the graph never waits for it)
/// into the topic's view channel. Clients' slowness ends in their bounded send queues.
/// The pump and the server's event loops run at background priority (nice 19), so the
/// graph's threads always win a core; `HORUS_VIEW_PRIORITY=normal` keeps them at the
/// default priority (to measure what that buys: `horus-bench view`).
final class ViewBridge: @unchecked Sendable {
    let server: ViewServer
    private struct Feed {
        let tap: RecordTap
        let topic: ViewTopic<TopicViewChannel>
    }
    /// A topic that discovery found published, to serve.
    struct LiveTopic: Equatable {
        var topic: String
        var typeName: String
        var capacity: Int
    }
    /// Touched by the caller before `start`, then only by the pump thread.
    private var feeds: [Feed] = []
    private let stopping = ManagedAtomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    /// Listens on `address` ("[HOST:]PORT"; loopback unless a host is given).
    init(address: String) throws {
        let (host, port) = try ViewServerConfiguration.address(address)
        server = ViewServer(configuration: ViewServerConfiguration(host: host, port: port, background: Self.background))
        try server.start()
    }

    /// The URL clients connect to.
    var url: String { "ws://\(server.boundAddress)" }

    /// Serves `topic` if its type is recordable (every built-in type is); false otherwise.
    @discardableResult
    func add(topic: String, typeName: String, capacity: Int) throws -> Bool {
        guard !feeds.contains(where: { $0.tap.topic == topic }), let support = MessageCodecRegistry.shared.codecs(typeName) else { return false }
        let tap = try support.makeTap(topic, capacity)
        feeds.append(Feed(tap: tap, topic: server.addChannel(TopicViewChannel(topic: topic, codecs: support))))
        return true
    }

    /// Makes the served topics those of `live`: serves the new ones and withdraws (clients get
    /// an unadvertise, the tap leaves the ring) those that are gone or changed type.
    /// Returns what was added and what was withdrawn.
    func sync(with live: [LiveTopic]) -> (added: [LiveTopic], removed: [String]) {
        var removed: [String] = []
        feeds.removeAll { f in
            guard !live.contains(where: { $0.topic == f.tap.topic && $0.typeName == f.tap.typeName }) else { return false }
            server.removeChannel(id: f.topic.id)
            removed.append(f.tap.topic)
            return true
        }
        let added = live.filter { (try? add(topic: $0.topic, typeName: $0.typeName, capacity: $0.capacity)) == true }
        return (added, removed)
    }

    /// Starts the pump thread; `discover`, if given, is called about once a second on it
    /// (it calls `sync` or `add`).
    func start(discover: ((ViewBridge) -> Void)? = nil) {
        started = true
        let t = Thread { [self] in
            Thread.current.name = "horus-view"  // set on the thread itself: Linux names it then
            if Self.background { ThreadPriority.makeCurrentThreadBackground() }
            var lastScan = Date.distantPast
            var idleSleepUs: UInt32 = 1000
            while !stopping.load(ordering: .relaxed) {
                if let discover, Date().timeIntervalSince(lastScan) >= 1 {
                    discover(self)
                    lastScan = Date()
                }
                var moved = false
                for f in feeds {
                    // A bounded batch per topic per round, so one busy topic cannot starve the others.
                    for _ in 0..<8 {
                        guard let s = f.tap.next() else { break }
                        f.topic.publish(s, receiveTimeNs: s.timestampNs != 0 ? s.timestampNs : Self.nowNs())
                        moved = true
                    }
                }
                // Idle: poll again after 1 ms, backing off to 8 ms while nothing arrives, and
                // every 50 ms while no client subscribes (what the taps hold then is not sent).
                if moved {
                    idleSleepUs = 1000
                } else {
                    usleep(feeds.contains { $0.topic.hasSubscribers } ? idleSleepUs : 50_000)
                    idleSleepUs = min(idleSleepUs * 2, 8000)
                }
            }
            done.signal()
        }
        t.start()
    }

    /// One line for the live status: clients, and what they were sent and lost.
    func statusLine() -> String {
        let stats = server.stats().filter { $0.subscriptions.contains(where: \.active) }
        let sent = stats.reduce(0) { $0 + $1.sent }, dropped = stats.reduce(0) { $0 + $1.dropped }
        return "view \(url): \(stats.count) client\(stats.count == 1 ? "" : "s") subscribed, \(sent) sent, \(dropped) dropped (slow clients)"
    }

    /// Stops the pump and the server; returns summary lines (clients, sent, dropped).
    func stop() -> [String] {
        stopping.store(true, ordering: .relaxed)
        if started { done.wait() }
        let stats = server.stats(), url = self.url
        server.shutdown()
        var lines = ["view: \(url): \(feeds.count) topics, \(stats.count) client\(stats.count == 1 ? "" : "s")"]
        for c in stats {
            let subs = c.subscriptions.map { "\($0.topic) sent \($0.sent) dropped \($0.dropped)" }.joined(separator: ", ")
            lines.append("  client \(c.clientID) \(c.remote): \(subs.isEmpty ? "no subscriptions" : subs)")
        }
        return lines
    }

    /// False when `HORUS_VIEW_PRIORITY=normal`.
    static let background = ProcessInfo.processInfo.environment["HORUS_VIEW_PRIORITY"] != "normal"

    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
