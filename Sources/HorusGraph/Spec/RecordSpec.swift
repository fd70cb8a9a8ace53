/// The optional `record:` section used by record/replay.
public struct RecordSpec: Sendable, Hashable {
    /// Location of the `record:` key.
    public var location: SourceLocation
    /// `output:` — recording file path.
    public var output: Located<String>?
    /// `topics:` — topics to record; nil means every topic in the graph.
    public var topics: [Located<String>]?

    /// Creates a record section.
    public init(location: SourceLocation, output: Located<String>? = nil, topics: [Located<String>]? = nil) {
        self.location = location
        self.output = output
        self.topics = topics
    }

    /// Whether `topic` will be recorded.
    public func records(_ topic: String) -> Bool {
        topics.map { $0.contains { $0.value == topic } } ?? true
    }
}
