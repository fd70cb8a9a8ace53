/// Runs several measured cases in interleaved rounds and pools each case's samples.
///
/// On a shared VM the cost of a cross-core transfer changes for hundreds of
/// milliseconds at a time (the host moves a vCPU, a neighbour loads a sibling core):
/// a case measured in one window, and its baseline in another, compare two machine
/// states. Run in rounds (case 1, case 2, ..., case 1, case 2, ...), every case and
/// its baseline sample the same mixture of states, and each round's p50 shows how far
/// the state moved.
struct InterleavedRounds {
    /// One case: runs `count` samples and returns one or more series (a fan-out case
    /// returns a series per subscriber rank); the same number of series every round.
    typealias Case = (_ count: Int) throws -> [[Double]]

    /// What one case measured over all rounds.
    struct Pooled {
        /// Series i of every round, concatenated.
        var series: [[Double]]
        /// The p50 of series 0 in each round, in order.
        var roundP50s: [Double]

        /// Percentiles of series `i` (nil when it holds no sample).
        func stats(_ i: Int = 0) -> Percentiles? { series[i].isEmpty ? nil : Percentiles(series[i]) }

        /// "p50 per round 210.0 ns to 580.0 ns over 5 rounds", for a result's note.
        var spreadNote: String {
            guard let lo = roundP50s.min(), let hi = roundP50s.max() else { return "" }
            return "p50 per round \(formatNs(lo)) to \(formatNs(hi)) over \(roundP50s.count) rounds"
        }
    }

    let rounds: Int

    /// Runs `cases` in `rounds` rounds of `count / rounds` samples each (at least one).
    func run(count: Int, _ cases: [Case]) throws -> [Pooled] {
        let perRound = Swift.max(1, count / rounds)
        var pooled = [Pooled](repeating: Pooled(series: [], roundP50s: []), count: cases.count)
        for round in 0..<rounds {
            Progress.note("round \(round + 1) of \(rounds)")
            for (i, c) in cases.enumerated() {
                let series = try c(perRound)
                if pooled[i].series.isEmpty { pooled[i].series = Array(repeating: [], count: series.count) }
                precondition(series.count == pooled[i].series.count, "a case returned a different number of series")
                for (k, s) in series.enumerated() { pooled[i].series[k] += s }
                if let first = series.first, !first.isEmpty { pooled[i].roundP50s.append(Percentiles(first).p50) }
            }
        }
        return pooled
    }
}
