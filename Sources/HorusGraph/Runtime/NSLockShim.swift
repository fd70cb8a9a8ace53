import Foundation

/// A mutex with a scoped `locked { }` helper (control paths only, never hot paths).
final class NSLockShim: @unchecked Sendable {
    private let lock = NSLock()
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
