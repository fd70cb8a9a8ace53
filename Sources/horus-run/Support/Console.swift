import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout/stderr without buffering surprises.
enum Console {
    /// Writes `text` to stderr as is.
    static func err(_ text: String) {
        FileHandle.standardError.write(text.data(using: .utf8)!)
    }

    /// Writes `line` plus a newline to stderr.
    static func errLine(_ line: String) { err(line + "\n") }

    /// Writes `line` plus a newline to stdout and flushes.
    static func out(_ line: String) {
        print(line)
        fflush(stdout)
    }

    /// `value` as one line of JSON (sorted keys; non-finite numbers as "inf", "-inf", "nan").
    static func jsonLine<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    /// True when stderr is a terminal (live status view).
    static var stderrIsTTY: Bool { isatty(2) == 1 }
}

/// Number formatting shared by tables.
enum Fmt {
    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    /// A compact number for tables: 3 significant-ish digits.
    static func num(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "-" }
        let a = abs(x)
        if a >= 100 { return fixed(x, 0) }
        if a >= 10 { return fixed(x, 1) }
        return fixed(x, 2)
    }

    /// Pads or truncates to a column.
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        if s.count >= width { return s }
        let fill = String(repeating: " ", count: width - s.count)
        return right ? fill + s : s + fill
    }

    /// Renders rows as an aligned table; the first row is the header. Columns after the
    /// first two are right-aligned.
    static func table(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in pad(c, widths[i], right: i >= 2) }.joined(separator: "  ")
        }
    }
}
