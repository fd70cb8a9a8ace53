/// Describes where and why an incomplete MCAP file (e.g. a killed recorder) stopped being readable.
public struct MCAPTruncation: Equatable, Sendable {
    /// Absolute offset of the first byte that could not be used.
    public var offset: UInt64
    /// What was found there.
    public var reason: String

    public init(offset: UInt64, reason: String) {
        self.offset = offset
        self.reason = reason
    }
}
