/// The table of `horus-bench pingpong`: each horus row against iceoryx at the same size
/// (the issue's goals: fresh 6 MB <= 1.0x, re-published <= 0.5x), then against the bare
/// spin hop (<= 3x), against the method's floor without horus and, for 6 MB, against its
/// own 64 B row (<= 1.2x).
struct PingPongReport {
    let byLabel: [String: InterleavedRounds.Pooled]
    let selected: Set<String>
    let tools: PingPongTools
    let count: Int

    func results() -> [BenchResult] {
        var out = [BenchResult]()
        let hop = byLabel["bare spin hop"]?.stats()
        let floor = byLabel["floor"]?.stats()
        let sizes = PingPongBench.sizes
        for (k, size) in sizes.enumerated() {
            let iox = byLabel["iceoryx \(size.label)"]
            let ioxStats = iox?.stats()
            for api in ["swift", "c"] where selected.contains(api) {
                if api == "c" && tools.horusC == nil {
                    if k == 0 { out.append(unavailable("C API", tools.horusCUnavailable)) }
                    continue
                }
                for fresh in [true, false] {
                    let mode = fresh ? "fresh" : "republish"
                    guard let row = byLabel["\(api) \(mode) \(size.label)"], let stats = row.stats() else { continue }
                    let name = "\(api == "swift" ? "Swift API" : "C API") \(fresh ? "fresh loan" : "re-published") \(size.label)"
                    let goal: Goal? = ioxStats == nil ? nil : fresh ? (k == sizes.count - 1 ? .ratioAtMost(1.0) : nil) : .ratioAtMost(0.5)
                    let what = fresh ? "a fresh loaned sample per message" : "one sample re-published"
                    out.append(BenchResult(name: name, stats: stats, baselineName: ioxStats == nil ? nil : "iceoryx", baseline: ioxStats,
                                           goal: goal, note: "\(what); \(row.spreadNote)"
                                               + (ioxStats == nil ? "; iceoryx \(tools.iceoryxUnavailable)" : "")))
                    if let hop {
                        out.append(BenchResult(name: "  \(name) vs hop", stats: stats, baselineName: "bare spin hop", baseline: hop,
                                               goal: .ratioAtMost(3.0)))
                    }
                    if let floor {
                        out.append(BenchResult(name: "  \(name) vs floor", stats: stats, baselineName: "method floor", baseline: floor))
                    }
                    if k == sizes.count - 1, let small = byLabel["\(api) \(mode) \(sizes[0].label)"]?.stats() {
                        out.append(BenchResult(name: "  \(name) vs 64 B", stats: stats, baselineName: "same at 64 B", baseline: small,
                                               goal: .ratioAtMost(1.2)))
                    }
                }
            }
            if let ioxStats, let iox {
                out.append(BenchResult(name: "iceoryx \(size.label) (loaned chunk)", stats: ioxStats,
                                       baselineName: hop == nil ? nil : "bare spin hop", baseline: hop,
                                       note: "iceoryx C binding, RouDi started by the bench; \(iox.spreadNote)"))
            } else if k == 0 && selected.contains("iceoryx") {
                out.append(unavailable("iceoryx", tools.iceoryxUnavailable))
            }
        }
        if let floor, let row = byLabel["floor"] {
            out.append(BenchResult(name: "floor: commit word + payload line, no horus", stats: floor,
                                   baselineName: hop == nil ? nil : "bare spin hop", baseline: hop,
                                   note: "the method's own cross-core traffic without horus (a payload line written and read, a commit word each way); \(row.spreadNote)"))
        }
        if let hop {
            out.append(BenchResult(name: "baseline: bare spin hop (store -> seen)", stats: hop,
                                   note: "horus-bench topics' spinning word hop between the same CPUs, one way"))
        }
        return out
    }

    /// A row naming a side that was not measured and why.
    private func unavailable(_ what: String, _ why: String) -> BenchResult {
        BenchResult(name: "\(what): \(why)", stats: Percentiles([.nan]), note: nil)
    }
}
