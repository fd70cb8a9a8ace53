/// A Schema record (op 0x03): describes how the messages of one or more channels are encoded.
public struct MCAPSchema: Equatable, Sendable {
    /// Unique non-zero identifier within the file.
    public var id: UInt16
    /// Schema name, e.g. a message type name.
    public var name: String
    /// Schema encoding, e.g. "jsonschema", "ros2msg"; empty when no schema data is available.
    public var encoding: String
    /// Raw schema definition bytes.
    public var data: [UInt8]

    public init(id: UInt16, name: String, encoding: String, data: [UInt8]) {
        self.id = id
        self.name = name
        self.encoding = encoding
        self.data = data
    }
}
