/// The machine-readable summary: one JSON object, printed as the last line of stdout.
///
///     {"bench":"memory","results":[{"name":"...","p50_ns":1.0,"p90_ns":1.0,"p99_ns":1.0,
///       "baseline":2.0,"ratio":0.5,"goal":"p50<=200 ns","met":true}, ...]}
///
/// `baseline` is the baseline's p50 in ns; `baseline`, `ratio`, `goal` and `met` are
/// null where a result has none.
struct JSONSummary {
    let bench: String
    let results: [BenchResult]

    func render() -> String {
        let items = results.map { r -> String in
            var fields = [
                "\"name\":\(Self.string(r.name))",
                "\"p50_ns\":\(Self.number(r.stats.p50))",
                "\"p90_ns\":\(Self.number(r.stats.p90))",
                "\"p99_ns\":\(Self.number(r.stats.p99))",
                "\"min_ns\":\(Self.number(r.stats.min))",
                "\"mean_ns\":\(Self.number(r.stats.mean))",
                "\"samples\":\(r.stats.count)",
            ]
            fields.append("\"baseline\":\(r.baseline.map { Self.number($0.p50) } ?? "null")")
            fields.append("\"baseline_name\":\(r.baselineName.map(Self.string) ?? "null")")
            fields.append("\"ratio\":\(r.ratio.map(Self.number) ?? "null")")
            fields.append("\"goal\":\(r.goal.map { Self.string($0.text) } ?? "null")")
            fields.append("\"met\":\(r.met.map { $0 ? "true" : "false" } ?? "null")")
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "{\"bench\":\(Self.string(bench)),\"results\":[" + items.joined(separator: ",") + "]}"
    }

    func print() { Swift.print(render()) }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        return String(format1: v, 3)
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
