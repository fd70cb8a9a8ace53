#if canImport(Glibc)
import Glibc
#endif

/// Reads environment variables without Foundation's allocation-heavy dictionary.
enum ProcessInfoEnvironment {
    static func value(_ key: String) -> String? {
        guard let p = getenv(key) else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }
}
