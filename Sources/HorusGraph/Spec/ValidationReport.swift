/// Everything the validator found, plus the resolved graph when there were no errors.
public struct ValidationReport: Sendable {
    /// All diagnostics, sorted by location (stable for equal locations).
    public var diagnostics: [GraphDiagnostic]
    /// The resolved graph; non-nil exactly when `hasErrors` is false.
    public var graph: ValidatedGraph?

    /// Creates a report; diagnostics are sorted by location.
    public init(diagnostics: [GraphDiagnostic], graph: ValidatedGraph?) {
        self.diagnostics = diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
        self.graph = graph
    }

    /// Diagnostics with severity `.error`.
    public var errors: [GraphDiagnostic] { diagnostics.filter { $0.severity == .error } }
    /// Diagnostics with severity `.warning`.
    public var warnings: [GraphDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    /// True when the graph must not run.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// All diagnostics formatted for a terminal; see `DiagnosticFormatter`.
    public func formatted(sourceText: String? = nil) -> String {
        DiagnosticFormatter.format(diagnostics, sourceText: sourceText)
    }
}
