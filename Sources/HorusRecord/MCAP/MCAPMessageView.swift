/// A zero-copy view of one message inside a mapped MCAP file; `data` is valid only during the callback that receives it.
public struct MCAPMessageView {
    public var channelID: UInt16
    public var sequence: UInt32
    /// Nanoseconds; the time the message was recorded.
    public var logTime: UInt64
    /// Nanoseconds; the time the message was published.
    public var publishTime: UInt64
    /// Payload bytes, borrowed from the file mapping.
    public var data: UnsafeRawBufferPointer
    /// Absolute file offset of the Message record (its opcode byte).
    public var recordOffset: UInt64
}
