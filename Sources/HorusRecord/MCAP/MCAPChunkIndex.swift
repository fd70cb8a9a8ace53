/// A Chunk Index record (op 0x08): where one chunk and its message indexes live in the file.
public struct MCAPChunkIndex: Equatable, Sendable {
    public var messageStartTime: UInt64
    public var messageEndTime: UInt64
    /// Absolute offset of the Chunk record's opcode byte.
    public var chunkStartOffset: UInt64
    /// Length of the Chunk record including opcode and length prefix.
    public var chunkLength: UInt64
    /// Channel ID to absolute offset of that channel's Message Index record after the chunk.
    public var messageIndexOffsets: [UInt16: UInt64]
    /// Total length of the Message Index records after the chunk.
    public var messageIndexLength: UInt64
    public var compression: String
    public var compressedSize: UInt64
    public var uncompressedSize: UInt64

    public init(messageStartTime: UInt64, messageEndTime: UInt64, chunkStartOffset: UInt64, chunkLength: UInt64,
                messageIndexOffsets: [UInt16: UInt64], messageIndexLength: UInt64, compression: String,
                compressedSize: UInt64, uncompressedSize: UInt64) {
        self.messageStartTime = messageStartTime
        self.messageEndTime = messageEndTime
        self.chunkStartOffset = chunkStartOffset
        self.chunkLength = chunkLength
        self.messageIndexOffsets = messageIndexOffsets
        self.messageIndexLength = messageIndexLength
        self.compression = compression
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
    }
}
