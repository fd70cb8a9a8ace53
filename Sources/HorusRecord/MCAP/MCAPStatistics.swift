/// A Statistics record (op 0x0B): counts and time range of a file, either read from the summary or computed by a scan.
public struct MCAPStatistics: Equatable, Sendable {
    public var messageCount: UInt64 = 0
    public var schemaCount: UInt16 = 0
    public var channelCount: UInt32 = 0
    public var attachmentCount: UInt32 = 0
    public var metadataCount: UInt32 = 0
    public var chunkCount: UInt32 = 0
    /// Earliest message log time (ns); 0 when the file has no messages.
    public var messageStartTime: UInt64 = 0
    /// Latest message log time (ns); 0 when the file has no messages.
    public var messageEndTime: UInt64 = 0
    /// Message count per channel ID.
    public var channelMessageCounts: [UInt16: UInt64] = [:]

    public init() {}
}
