#if canImport(Glibc)
import Glibc
#endif

/// Reads environment variables without Foundation's allocation-heavy dictionary.
package enum ProcessInfoEnvironment {
    package static func value(_ key: String) -> String? {
        guard let p = getenv(key) else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }
}
