import Foundation

extension MCAPInfo {
    /// A human-readable report: file facts followed by an aligned table of topics.
    public func formattedTable() -> String {
        var lines: [String] = []
        lines.append("file:      \(path)")
        lines.append("profile:   \(profile)    library: \(library)")
        lines.append("messages:  \(messageCount)    chunks: \(chunkCount)    schemas: \(schemaNames.count)")
        lines.append("start:     \(Self.seconds(startTime))    end: \(Self.seconds(endTime))    duration: \(String(format: "%.3f", durationSeconds)) s")
        if let t = truncation {
            lines.append("status:    TRUNCATED at byte \(t.offset): \(t.reason)")
        } else {
            lines.append("status:    complete\(hasSummary ? " (summary present)" : "")")
        }
        if let d = summaryDamage {
            lines.append("summary:   DAMAGED at byte \(d.offset): \(d.problem); counts rebuilt from the chunks")
        }
        for region in skipped { lines.append("skipped:   \(region)") }
        let header = ["topic", "id", "schema", "encoding", "messages", "rate (Hz)"]
        let rows = topics.map { t in
            [t.topic, String(t.channelID), t.schemaName, t.messageEncoding, String(t.messageCount),
             String(format: "%.2f", t.rateHz)]
        }
        var widths = header.map(\.count)
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let numeric: Set<Int> = [1, 4, 5]
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        lines.append("")
        lines.append(render(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for r in rows { lines.append(render(r)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nanoseconds as seconds with 9 decimals.
    static func seconds(_ ns: UInt64) -> String {
        "\(ns / 1_000_000_000).\(String(format: "%09llu", ns % 1_000_000_000))"
    }
}
