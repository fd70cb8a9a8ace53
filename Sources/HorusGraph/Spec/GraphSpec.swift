/// A parsed graph file: every value carries the location it was written at.
///
/// Produced by `GraphLoader`; checked and resolved by `GraphValidator`.
public struct GraphSpec: Sendable {
    /// `graph:` name; defaults to the file's base name when absent.
    public var name: Located<String>
    /// Path of the graph file as given to the loader (used in diagnostics).
    public var sourceFile: String
    /// The YAML text (used for snippets in formatted diagnostics).
    public var sourceText: String
    /// `nodes:` in file order.
    public var nodes: [NodeSpec]
    /// `topics:` declarations in file order.
    public var topics: [TopicDecl]
    /// `record:` section.
    public var record: RecordSpec?
    /// `outputs:`: topics the graph publishes for readers outside it (no "not read" warning).
    public var outputs: [Located<String>] = []
    /// `bridge:` section: topics exported to and imported from DDS (ROS 2).
    public var bridge: BridgeSectionSpec?
    /// Structural problems found while reading the file (unknown keys, wrong shapes).
    public var diagnostics: [GraphDiagnostic]

    /// Creates a spec.
    public init(name: Located<String>, sourceFile: String, sourceText: String, nodes: [NodeSpec] = [],
                topics: [TopicDecl] = [], record: RecordSpec? = nil, diagnostics: [GraphDiagnostic] = []) {
        self.name = name
        self.sourceFile = sourceFile
        self.sourceText = sourceText
        self.nodes = nodes
        self.topics = topics
        self.record = record
        self.diagnostics = diagnostics
    }

    /// Directory containing the graph file (`.` if the path has none); plugin paths are relative to it.
    public var directory: String {
        guard let slash = sourceFile.lastIndex(of: "/") else { return "." }
        let dir = String(sourceFile[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}
