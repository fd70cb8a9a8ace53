#if canImport(Glibc)
import Glibc
#endif

/// Progress messages on stderr (stdout carries the table and the JSON line).
enum Progress {
    nonisolated(unsafe) static var quiet = false

    static func note(_ message: String) {
        guard !quiet else { return }
        fputs("horus-bench: \(message)\n", stderr)
    }
}
