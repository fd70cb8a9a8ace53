/// A Channel record (op 0x04): one stream of messages on a topic, optionally tied to a schema.
public struct MCAPChannel: Equatable, Sendable {
    /// Unique identifier within the file.
    public var id: UInt16
    /// Schema of the messages, 0 when there is none.
    public var schemaID: UInt16
    /// Topic name.
    public var topic: String
    /// Message encoding, e.g. "json", "cdr", or a custom "x-" value.
    public var messageEncoding: String
    /// Free-form key/value metadata.
    public var metadata: [String: String]

    public init(id: UInt16, schemaID: UInt16, topic: String, messageEncoding: String, metadata: [String: String] = [:]) {
        self.id = id
        self.schemaID = schemaID
        self.topic = topic
        self.messageEncoding = messageEncoding
        self.metadata = metadata
    }
}
