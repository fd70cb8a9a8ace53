/// Bytes that are not a valid CDR message of the expected type, or a message that has no
/// ROS 2 form: names the field and what is wrong with it.
public struct CDRError: Error, CustomStringConvertible, Equatable {
    /// The message field, dotted ("info.resolution", "fields[2].offset").
    public let field: String
    public let reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "field '\(field)': \(reason)" }
}
