/// The graph file could not be read or is not well-formed YAML; carries one located diagnostic.
public struct GraphLoadError: Error, Sendable, CustomStringConvertible {
    /// The problem, located at the YAML error position (or line 1 for unreadable files).
    public let diagnostic: GraphDiagnostic

    /// Wraps a diagnostic.
    public init(diagnostic: GraphDiagnostic) { self.diagnostic = diagnostic }

    /// The formatted diagnostic.
    public var description: String { diagnostic.description }
}
