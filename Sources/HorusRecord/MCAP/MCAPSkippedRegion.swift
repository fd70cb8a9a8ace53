/// A damaged part of a recording that a salvaging read (`recover`, `info`, `replay`) skipped:
/// a chunk whose CRC or records are bad, or bytes between two readable records.
public struct MCAPSkippedRegion: Equatable, Sendable, CustomStringConvertible {
    /// 0-based number of the chunk in file order (from the chunk index when the summary is
    /// readable); nil when the region is not one whole chunk.
    public var chunk: Int?
    /// Absolute offset of the first skipped byte.
    public var offset: UInt64
    /// Bytes skipped.
    public var length: UInt64
    /// Why it was skipped (what was wrong, and where).
    public var problem: String
    /// Messages lost with it, counted from the Message Index records of the skipped chunks
    /// (or, without them, from the chunk's records); nil when they cannot be counted.
    public var messagesLost: UInt64?

    /// Creates a region.
    public init(chunk: Int?, offset: UInt64, length: UInt64, problem: String, messagesLost: UInt64?) {
        self.chunk = chunk
        self.offset = offset
        self.length = length
        self.problem = problem
        self.messagesLost = messagesLost
    }

    /// `chunk 3 at byte 10240 (4096 bytes, 12 messages lost): chunk CRC mismatch ...`.
    public var description: String {
        let what = chunk.map { "chunk \($0)" } ?? "damaged bytes"
        let lost = messagesLost.map { "\($0) message\($0 == 1 ? "" : "s") lost" } ?? "messages lost: unknown"
        return "\(what) at byte \(offset) (\(length) bytes, \(lost)): \(problem)"
    }
}
