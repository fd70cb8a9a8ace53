/// A message read from an MCAP file with its payload copied into an owned array.
public struct MCAPMessage: Equatable, Sendable {
    public var channelID: UInt16
    public var sequence: UInt32
    /// Nanoseconds; the time the message was recorded.
    public var logTime: UInt64
    /// Nanoseconds; the time the message was published.
    public var publishTime: UInt64
    public var data: [UInt8]

    public init(channelID: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64, data: [UInt8]) {
        self.channelID = channelID
        self.sequence = sequence
        self.logTime = logTime
        self.publishTime = publishTime
        self.data = data
    }

    /// Copies a borrowed view into an owned message.
    public init(_ view: MCAPMessageView) {
        self.init(channelID: view.channelID, sequence: view.sequence, logTime: view.logTime,
                  publishTime: view.publishTime, data: Array(view.data))
    }
}
