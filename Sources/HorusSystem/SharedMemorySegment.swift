#if canImport(Glibc)
import Glibc
#endif

/// A mapped POSIX shared-memory object (shm_open + mmap, mode 0600) with an advisory
/// lock (flock) that serializes creation, attachment and removal between processes.
///
/// The segment owns its descriptor and its mapping: both are released when the last
/// reference to the object goes. Pools and rings hand out pointers into the mapping,
/// so every object holding such a pointer (a pool, a ring, an inspector) keeps the
/// segment referenced for as long as it lives.
package final class SharedMemorySegment: @unchecked Sendable {
    /// The shm name, with its leading slash.
    package let name: String
    /// Start of the mapping (read-only for `openReadOnly` segments).
    package let base: UnsafeMutableRawPointer
    /// Bytes mapped.
    package let size: Int
    private let fd: Int32

    private init(name: String, base: UnsafeMutableRawPointer, size: Int, fd: Int32) {
        self.name = name
        self.base = base
        self.size = size
        self.fd = fd
    }

    deinit {
        munmap(base, size)
        close(fd)
    }

    /// The outcome of `openLocked`: the locked segment, and whether this call created it
    /// (size 0 before, now `createSize`, zero-filled).
    package struct Opened {
        package let segment: SharedMemorySegment
        package let created: Bool
    }

    /// Opens (or, with `createSize`, creates) the object and returns it mapped and locked
    /// (flock LOCK_EX held: call `unlock()` when set up). An object that another process
    /// unlinked while we waited for its lock is skipped and the open retried.
    package static func openLocked(name: String, createSize: Int?) throws -> Opened {
        while true {
            let flags = createSize == nil ? O_RDWR : (O_RDWR | O_CREAT)
            let fd = shm_open(name, flags | O_CLOEXEC, 0o600)
            if fd < 0 { throw SystemError("shm_open", name) }
            func fail(_ call: String, _ subject: String = name, code: Int32 = errno) -> SystemError {
                let e = SystemError(call, subject, code: code)
                close(fd)
                return e
            }
            if flock(fd, LOCK_EX) != 0 { throw fail("flock") }
            var st = stat()
            if fstat(fd, &st) != 0 { throw fail("fstat") }
            if st.st_nlink == 0 {  // removed by its last user while we waited: start over
                close(fd)
                continue
            }
            var size = Int(st.st_size)
            var created = false
            if size == 0 {
                guard let createSize else { throw fail("shm_open", name + " (empty segment)", code: ENOENT) }
                if ftruncate(fd, off_t(createSize)) != 0 { throw fail("ftruncate") }
                size = createSize
                created = true
            }
            guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
                throw fail("mmap")
            }
            return Opened(segment: SharedMemorySegment(name: name, base: p, size: size, fd: fd), created: created)
        }
    }

    /// Maps an existing object read-only, without its lock (inspectors: they never write
    /// and never join). Throws `ENOENT` when there is no such object.
    package static func openReadOnly(name: String) throws -> SharedMemorySegment {
        let fd = shm_open(name, O_RDONLY | O_CLOEXEC, 0)
        if fd < 0 { throw SystemError("shm_open", name) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = SystemError("fstat", name)
            close(fd)
            throw e
        }
        let size = Int(st.st_size)
        guard size > 0 else {
            close(fd)
            throw SystemError("shm_open", name + " (empty segment)", code: ENOENT)
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            let e = SystemError("mmap", name)
            close(fd)
            throw e
        }
        return SharedMemorySegment(name: name, base: p, size: size, fd: fd)
    }

    /// Takes the segment's flock (exclusive), blocking.
    package func lock() { _ = flock(fd, LOCK_EX) }

    /// Releases the segment's flock.
    package func unlock() { _ = flock(fd, LOCK_UN) }

    /// Removes the name; the mapping stays valid for processes that hold it.
    package func unlink() { _ = shm_unlink(name) }

    /// Runs `body` with the flock held.
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
