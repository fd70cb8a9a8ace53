/// A target a result is checked against.
enum Goal: Equatable {
    /// p50 of the operation at most this many nanoseconds.
    case p50AtMost(Double)
    /// p50 of the operation at most this multiple of the baseline's p50.
    case ratioAtMost(Double)

    var text: String {
        switch self {
        case .p50AtMost(let ns): return "p50<=\(formatNs(ns))"
        case .ratioAtMost(let r): return "ratio<=\(formatRatio(r))"
        }
    }
}

/// One measured operation, with its baseline from the same run.
struct BenchResult {
    let name: String
    let stats: Percentiles
    /// What the baseline is (e.g. "malloc+free 256 B").
    let baselineName: String?
    let baseline: Percentiles?
    let goal: Goal?
    /// Free-form remark shown under the table (e.g. "includes slot allocation").
    let note: String?

    init(name: String, stats: Percentiles, baselineName: String? = nil, baseline: Percentiles? = nil,
         goal: Goal? = nil, note: String? = nil) {
        self.name = name
        self.stats = stats
        self.baselineName = baselineName
        self.baseline = baseline
        self.goal = goal
        self.note = note
    }

    /// p50 of the operation over p50 of the baseline.
    var ratio: Double? {
        guard let b = baseline, b.p50 > 0 else { return nil }
        return stats.p50 / b.p50
    }

    /// Whether the goal is met (nil when there is no goal).
    var met: Bool? {
        switch goal {
        case nil: return nil
        case .p50AtMost(let ns)?: return stats.p50 <= ns
        case .ratioAtMost(let r)?: return ratio.map { $0 <= r } ?? false
        }
    }
}

/// "12.3 ns", "4.56 us", "1.23 ms".
func formatNs(_ ns: Double) -> String {
    if ns < 1_000 { return ns < 10 ? String(format1: ns, 2) + " ns" : String(format1: ns, 1) + " ns" }
    if ns < 1_000_000 { return String(format1: ns / 1_000, 2) + " us" }
    return String(format1: ns / 1_000_000, 3) + " ms"
}

func formatRatio(_ r: Double) -> String { String(format1: r, 2) + "x" }

extension String {
    /// Fixed-point formatting without Foundation.
    init(format1 value: Double, _ digits: Int) {
        guard value.isFinite else { self = "\(value)"; return }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let frac = Int(scaled - Double(whole) * scale)
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        self = (value < 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
    }
}
