/// Prints results as an aligned, human-readable table on stdout.
struct ResultTable {
    let title: String
    let results: [BenchResult]

    func render() -> String {
        let header = ["name", "p50", "p90", "p99", "baseline (p50)", "ratio", "goal", ""]
        var rows = [header]
        for r in results {
            let base: String
            if let b = r.baseline, let n = r.baselineName { base = "\(formatNs(b.p50)) \(n)" } else { base = "-" }
            rows.append([
                r.name, formatNs(r.stats.p50), formatNs(r.stats.p90), formatNs(r.stats.p99), base,
                r.ratio.map(formatRatio) ?? "-", r.goal?.text ?? "-",
                r.met.map { $0 ? "PASS" : "MISS" } ?? "",
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = Swift.max(widths[i], c.count) } }
        // Numbers right-aligned, text left-aligned.
        let rightAligned: Set<Int> = [1, 2, 3, 5]
        func line(_ row: [String]) -> String {
            var s = ""
            for (i, c) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                s += rightAligned.contains(i) ? pad + c : c + pad
                if i < row.count - 1 { s += "  " }
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        var out = [title, line(rows[0]), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        out += rows.dropFirst().map(line)
        let notes = results.compactMap { r in r.note.map { "  \(r.name): \($0)" } }
        if !notes.isEmpty { out.append("notes:"); out += notes }
        return out.joined(separator: "\n")
    }

    func print() { Swift.print(render()) }
}
