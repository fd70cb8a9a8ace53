/// A Summary Offset record (op 0x0E): locates the group of summary records sharing one opcode.
public struct MCAPSummaryOffset: Equatable, Sendable {
    public var groupOpcode: UInt8
    /// Absolute offset of the first record in the group.
    public var groupStart: UInt64
    /// Total byte length of all records in the group.
    public var groupLength: UInt64

    public init(groupOpcode: UInt8, groupStart: UInt64, groupLength: UInt64) {
        self.groupOpcode = groupOpcode
        self.groupStart = groupStart
        self.groupLength = groupLength
    }
}
