/// Collapses a message repeated on every tick (a node failing the same way 30 times a second)
/// into one line now and a count later: the first occurrence is logged at once; repeats of
/// the same text are counted and summarised at most once per `interval`; a different message,
/// or `flush` (at stop), writes the pending count. Used only on the error path.
struct RepeatThrottle {
    /// Minimum time between two lines about the same repeated message.
    var intervalNs: UInt64 = 1_000_000_000
    private var last: String?
    private var suppressed: UInt64 = 0
    private var firstSuppressedNs: UInt64 = 0
    private var lastSuppressedNs: UInt64 = 0
    private var lastLineNs: UInt64 = 0

    init(intervalNs: UInt64 = 1_000_000_000) { self.intervalNs = intervalNs }

    /// The lines to log for one occurrence of `message` at `nowNs` (often none).
    mutating func note(_ message: String, nowNs: UInt64) -> [String] {
        if message == last {
            if suppressed == 0 { firstSuppressedNs = nowNs }
            suppressed &+= 1
            lastSuppressedNs = nowNs
            guard nowNs &- lastLineNs >= intervalNs else { return [] }
            lastLineNs = nowNs
            return [summary()].compactMap { $0 }
        }
        var lines = [summary()].compactMap { $0 }
        last = message
        lastLineNs = nowNs
        lines.append(message)
        return lines
    }

    /// The pending count, if repeats were suppressed since the last line.
    mutating func flush() -> String? { summary() }

    /// "`message` (repeated N more times in S s)", S spanning the suppressed repeats.
    private mutating func summary() -> String? {
        guard suppressed > 0, let last else { return nil }
        let span = Double(lastSuppressedNs &- firstSuppressedNs) / 1e9
        let text = "\(last) (repeated \(suppressed) more time\(suppressed == 1 ? "" : "s") in \(formatSeconds(span)))"
        suppressed = 0
        return text
    }

    private func formatSeconds(_ s: Double) -> String {
        let tenths = (max(0, s) * 10).rounded() / 10
        return "\(tenths) s"
    }
}
