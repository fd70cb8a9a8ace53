import Atomics
import Foundation
import HorusMessages
import HorusView

/// Serves horus topics to Foxglove: one `ViewServer`, and one pump thread that drains a
/// record tap per topic (its own cursor on the ring, so the graph never waits for it)
/// into the topic's view channel. Clients' slowness ends in their bounded send queues.
final class ViewBridge: @unchecked Sendable {
    let server: ViewServer
    private struct Feed {
        let tap: RecordTap
        let topic: ViewTopic<TopicViewChannel>
    }
    /// Touched by the caller before `start`, then only by the pump thread.
    private var feeds: [Feed] = []
    private var served = Set<String>()
    private let stopping = ManagedAtomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    /// Listens on `address` ("[HOST:]PORT"; loopback unless a host is given).
    init(address: String) throws {
        let (host, port) = try ViewServerConfiguration.address(address)
        server = ViewServer(configuration: ViewServerConfiguration(host: host, port: port))
        try server.start()
    }

    /// The URL clients connect to.
    var url: String { "ws://\(server.boundAddress)" }

    /// Serves `topic` if its type is recordable (every built-in type is); false otherwise.
    @discardableResult
    func add(topic: String, typeName: String, capacity: Int) throws -> Bool {
        guard !served.contains(topic), let support = MessageCodecRegistry.shared.codecs(typeName) else { return false }
        let tap = try support.makeTap(topic, capacity)
        feeds.append(Feed(tap: tap, topic: server.addChannel(TopicViewChannel(topic: topic, codecs: support))))
        served.insert(topic)
        return true
    }

    /// Starts the pump thread; `discover`, if given, is called about once a second on it
    /// to add topics that appeared (it calls `add`).
    func start(discover: ((ViewBridge) -> Void)? = nil) {
        started = true
        let t = Thread { [self] in
            var lastScan = Date.distantPast
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
                if !moved { usleep(1000) }
            }
            done.signal()
        }
        t.name = "horus-view"
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

    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
