#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Names shared-memory objects so that users, test runs and graphs never collide:
/// every segment is `/horus-<namespace>-<kind>-<name>`, the namespace coming from
/// the `HORUS_NAMESPACE` environment variable (default: `u<uid>`).
public enum HorusNamespace {
    /// The namespace in force for this process.
    public static var current: String {
        if let raw = ProcessInfo.processInfo.environment["HORUS_NAMESPACE"], !raw.isEmpty {
            return sanitize(raw)
        }
        return "u\(getuid())"
    }

    /// The POSIX shm name for an object of a kind ("pool", "topic") and a user-given name.
    public static func shmName(kind: String, name: String) -> String {
        "/horus-\(current)-\(kind)-\(sanitize(name))"
    }

    /// The prefix every shm object of this namespace starts with (without the leading slash).
    public static var filePrefix: String { "horus-\(current)-" }

    /// Names of the files in /dev/shm that belong to this namespace (`filePrefix`), sorted.
    package static var files: [String] {
        guard let dir = opendir("/dev/shm") else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { b in
                String(decoding: b[..<(b.firstIndex(of: 0) ?? b.count)], as: UTF8.self)
            }
            if name.hasPrefix(filePrefix) { names.append(name) }
        }
        return names.sorted()
    }

    /// Replaces characters that are not allowed in a shm name by `_` ('/' included).
    static func sanitize(_ s: String) -> String {
        String(s.map { c -> Character in
            (c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "." || c == "-")) ? c : "_"
        })
    }
}
