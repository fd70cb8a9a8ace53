/// Renders diagnostics compiler-style, optionally with the offending source line and a caret,
/// followed by a summary such as `2 errors, 1 warning`.
public enum DiagnosticFormatter {
    /// One diagnostic: `file:line:col: error: message`, plus a source snippet if `sourceText` is given.
    public static func format(_ diagnostic: GraphDiagnostic, sourceText: String? = nil) -> String {
        format(diagnostic, lines: sourceText.map(splitLines))
    }

    /// All diagnostics, one block each, then the summary line (omitted when there are none).
    /// The source is split into lines once, so formatting stays linear in the file and the count.
    public static func format(_ diagnostics: [GraphDiagnostic], sourceText: String? = nil) -> String {
        guard !diagnostics.isEmpty else { return "" }
        let lines = sourceText.map(splitLines)
        var out = diagnostics.map { format($0, lines: lines) }
        out.append(summary(diagnostics))
        return out.joined(separator: "\n") + "\n"
    }

    private static func splitLines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    private static func format(_ diagnostic: GraphDiagnostic, lines: [Substring]?) -> String {
        var out = diagnostic.description
        if let lines, let snippet = snippet(lines, line: diagnostic.location.line, column: diagnostic.location.column) {
            out += "\n" + snippet
        }
        return out
    }

    /// `N error(s), M warning(s)`.
    public static func summary(_ diagnostics: [GraphDiagnostic]) -> String {
        let e = diagnostics.filter { $0.severity == .error }.count
        let w = diagnostics.count - e
        return "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")"
    }

    /// The 1-based `line` of `text` with a caret under `column`, or nil if out of range.
    static func snippet(_ text: String, line: Int, column: Int) -> String? {
        snippet(splitLines(text), line: line, column: column)
    }

    static func snippet(_ lines: [Substring], line: Int, column: Int) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        let src = String(lines[line - 1]).replacingTabs()
        let pad = String(repeating: " ", count: max(0, column - 1))
        return "    " + src + "\n    " + pad + "^"
    }
}

private extension String {
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
