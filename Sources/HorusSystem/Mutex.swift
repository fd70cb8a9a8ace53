#if canImport(Glibc)
import Glibc
#endif

/// A mutual-exclusion lock for control paths (registries, schedulers, supervisors),
/// never for hot paths.
///
/// The `pthread_mutex_t` lives in its own heap allocation: POSIX forbids moving an
/// initialized mutex, and a Swift stored property has no stable address (`&property`
/// may hand pthreads a temporary copy), so the lock is never a stored value.
package final class Mutex: @unchecked Sendable {
    @usableFromInline let raw: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        raw = .allocate(capacity: 1)
        raw.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(raw, nil)
        precondition(rc == 0, "pthread_mutex_init failed: errno \(rc)")
    }

    deinit {
        pthread_mutex_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    /// Takes the lock, blocking.
    @inlinable package func lock() { pthread_mutex_lock(raw) }

    /// Releases the lock (the calling thread must hold it).
    @inlinable package func unlock() { pthread_mutex_unlock(raw) }

    /// Runs `body` with the lock held.
    @inlinable package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(raw)
        defer { pthread_mutex_unlock(raw) }
        return try body()
    }
}
