#if canImport(Glibc)
import Glibc
#endif

/// A failed POSIX call: which call, on what, and the errno it set.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    /// The POSIX call that failed, e.g. `shm_open`.
    public let call: String
    /// What it was called on (a shm name, a path).
    public let subject: String
    /// The errno value.
    public let code: Int32

    public init(_ call: String, _ subject: String, code: Int32 = errno) {
        self.call = call
        self.subject = subject
        self.code = code
    }

    public var description: String {
        "\(call)(\(subject)) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
