/// Severity of a diagnostic: errors stop the graph from running, warnings do not.
public enum DiagnosticSeverity: String, Sendable, Hashable {
    /// The graph cannot run.
    case error
    /// Suspicious but runnable (e.g. a topic nobody reads).
    case warning
}

/// One problem found in a graph file, with its location and key path.
///
/// `description` renders the compiler-style line
/// `graph.yaml:12:7: error: nodes[1] (cloud): unknown param 'leaf_sise' ...`.
public struct GraphDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Error or warning.
    public var severity: DiagnosticSeverity
    /// Where the problem is (the offending key or value).
    public var location: SourceLocation
    /// Path to the offending entry, e.g. `nodes[1].params.leaf_size`; empty for whole-file problems.
    public var keyPath: String
    /// Human-readable message (includes the node context such as `nodes[1] (cloud): `).
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: DiagnosticSeverity, at location: SourceLocation, keyPath: String, _ message: String) {
        self.severity = severity
        self.location = location
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column: severity: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
