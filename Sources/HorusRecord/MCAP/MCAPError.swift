/// An error reading or writing an MCAP file: names the file, the byte offset where the problem was found, and the problem.
public struct MCAPError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Path of the file being read or written.
    public var path: String
    /// Absolute byte offset in the file where the problem was detected.
    public var offset: UInt64
    /// Human-readable description of what is wrong.
    public var problem: String

    public init(path: String, offset: UInt64, problem: String) {
        self.path = path
        self.offset = offset
        self.problem = problem
    }

    public var description: String { "\(path): byte offset \(offset): \(problem)" }
}
