import HorusBridge

/// The bridged topics in the live status, the plain status line and the summary: per topic its
/// direction, msgs/s, MB/s, drops and last error (from `BridgeTopicStats`).
extension StatusView {
    /// Live table rows: one per bridged topic, plus exports still waiting and refused ones.
    func bridgeLiveRows(_ bridge: GraphBridge) -> [String] {
        let (now, before, seconds) = bridge.interval()
        var rows = [["bridged topic", "dir", "type", "msg/s", "MB/s", "msgs", "drops", "matched", "last error"]]
        for s in now.stats {
            let prev = before?.stats.first { $0.topic == s.topic && $0.direction == s.direction }
            let (rate, mbs) = Self.rates(s, since: prev, seconds: seconds)
            rows.append([s.topic, s.direction.rawValue, s.type, Fmt.num(rate), Fmt.num(mbs), "\(s.messages)", "\(s.drops)",
                         "\(now.matched[s.topic] ?? 0)", s.lastError ?? "-"])
        }
        for w in now.waitingFor { rows.append([w, "export", "-", "-", "-", "0", "0", "0", "waiting for the topic to appear"]) }
        return Fmt.table(rows) + now.failedExports.map { "bridge: refused: \($0)" }
    }

    /// Plain status lines (no terminal): `bridge: export /x [T] 10.0 msg/s 0.12 MB/s msgs=... drops=...`.
    func bridgePlainLines(_ bridge: GraphBridge) -> [String] {
        let (now, before, seconds) = bridge.interval()
        return now.stats.map { s in
            "bridge: " + s.line(since: before?.stats.first { $0.topic == s.topic && $0.direction == s.direction }, seconds: seconds)
                + " matched=\(now.matched[s.topic] ?? 0)"
        } + now.waitingFor.map { "bridge: export \($0) waiting for the topic to appear" }
            + now.failedExports.map { "bridge: refused: \($0)" }
    }

    /// Summary table: totals and average rates over the run.
    func bridgeSummaryRows(_ final: GraphBridge.Snapshot, seconds: Double) -> [String] {
        var rows = [["bridged topic", "dir", "type", "msg/s", "MB/s", "msgs", "drops", "rate-limited", "undecodable", "last error"]]
        for s in final.stats {
            let (rate, mbs) = Self.rates(s, since: nil, seconds: seconds)
            rows.append([s.topic, s.direction.rawValue, s.type, Fmt.num(rate), Fmt.num(mbs), "\(s.messages)", "\(s.drops)",
                         s.direction == .export ? "\(s.rateLimited)" : "-", s.direction == .import ? "\(s.undecodable)" : "-",
                         s.lastError ?? "-"])
        }
        return Fmt.table(rows) + final.waitingFor.map { "bridge: export \($0) never appeared" }
            + final.failedExports.map { "bridge: refused: \($0)" }
    }

    static func rates(_ s: BridgeTopicStats, since before: BridgeTopicStats?, seconds: Double) -> (msgs: Double, mbs: Double) {
        guard seconds > 0 else { return (0, 0) }
        return (Double(s.messages &- (before?.messages ?? 0)) / seconds, Double(s.bytes &- (before?.bytes ?? 0)) / seconds / 1e6)
    }
}

/// One bridged topic in the `--json` summary.
struct BridgeTopicSummary: Encodable {
    var topic: String
    var direction: String
    var type: String
    var ddsType: String
    var messages: UInt64
    var bytes: UInt64
    var messagesPerSecond: Double
    var megabytesPerSecond: Double
    var drops: UInt64
    var rateLimited: UInt64
    var undecodable: UInt64
    var lastError: String?

    static func all(_ final: GraphBridge.Snapshot, seconds: Double) -> [BridgeTopicSummary] {
        final.stats.map { s in
            let (rate, mbs) = StatusView.rates(s, since: nil, seconds: seconds)
            return BridgeTopicSummary(topic: s.topic, direction: s.direction.rawValue, type: s.type, ddsType: s.ddsType,
                                      messages: s.messages, bytes: s.bytes, messagesPerSecond: rate, megabytesPerSecond: mbs,
                                      drops: s.drops, rateLimited: s.rateLimited, undecodable: s.undecodable, lastError: s.lastError)
        }
    }
}
