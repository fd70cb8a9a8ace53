/// Order statistics of latency samples (nanoseconds), nearest-rank on sorted samples.
struct Percentiles: Equatable {
    let count: Int
    let min: Double
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double
    let mean: Double

    init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "no samples")
        let s = samples.sorted()
        count = s.count
        min = s[0]
        max = s[s.count - 1]
        p50 = Self.rank(s, 0.50)
        p90 = Self.rank(s, 0.90)
        p99 = Self.rank(s, 0.99)
        mean = s.reduce(0, +) / Double(s.count)
    }

    /// Nearest-rank percentile: the smallest sample with at least `q` of samples <= it.
    static func rank(_ sorted: [Double], _ q: Double) -> Double {
        let r = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, r - 1))]
    }
}
