import CHorus
#if canImport(Glibc)
import Glibc
#endif

/// A mapped POSIX shared-memory object (shm_open + mmap, mode 0600) with an advisory
/// lock (flock) that serializes creation, attachment and removal between processes.
/// Only a regular file of this user with mode 0600 is mapped (glibc's shm_open adds
/// O_NOFOLLOW, so a symlink at the name is refused too): anything else at a horus name
/// could be written by someone else.
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
    /// The mapping's slot in the SIGBUS guard (`horus_shm_guard.h`).
    private let guardSlot: Int32
    /// Nonzero once another process truncated the object and the guard replaced the
    /// mapping by zero pages (process-local memory: a plain load, for hot-path checks).
    package let truncatedFlag: UnsafePointer<Int32>

    private init(name: String, base: UnsafeMutableRawPointer, size: Int, fd: Int32) {
        self.name = name
        self.base = base
        self.size = size
        self.fd = fd
        guardSlot = horus_shm_guard_add(base, size)
        truncatedFlag = UnsafeRawPointer(horus_shm_guard_flag(guardSlot)).assumingMemoryBound(to: Int32.self)
    }

    /// True once the object was found truncated by another process (its mapping now
    /// reads zeros, and writes to it reach no one).
    package var isTruncated: Bool { truncatedFlag.pointee != 0 }

    deinit {
        horus_shm_guard_remove(guardSlot)
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
            if fd < 0 { throw openFailure(name) }
            func fail(_ call: String, _ subject: String = name, code: Int32 = errno) -> SystemError {
                let e = SystemError(call, subject, code: code)
                close(fd)
                return e
            }
            if flock(fd, LOCK_EX) != 0 { throw fail("flock") }
            var st = stat()
            if fstat(fd, &st) != 0 { throw fail("fstat") }
            if createSize != nil, st.st_size == 0, st.st_uid == geteuid(), st.st_mode & S_IFMT == S_IFREG {
                // Ours and empty (just created, the umask may have narrowed 0600): set the mode.
                if fchmod(fd, 0o600) != 0 { throw fail("fchmod") }
                st.st_mode = (st.st_mode & ~0o7777) | 0o600
            }
            if let refusal = refusal(name, st) {
                close(fd)
                throw refusal
            }
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
        if fd < 0 { throw openFailure(name) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = SystemError("fstat", name)
            close(fd)
            throw e
        }
        if let refusal = refusal(name, st) {
            close(fd)
            throw refusal
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

    /// Why shm_open of `name` failed (errno still set): an object that is there but is not
    /// a plain file (a symlink refused by O_NOFOLLOW, a directory) is named with its owner
    /// and mode, like any other refusal.
    static func openFailure(_ name: String) -> SystemError {
        let code = errno
        var st = stat()
        if code != ENOENT, lstat("/dev/shm" + name, &st) == 0, let refused = refusal(name, st) { return refused }
        return SystemError("shm_open", name, code: code)
    }

    /// Nil when `st` (of the object at `name`) is a regular file of this user with mode
    /// 0600; otherwise the refusal, naming owner, type and mode.
    static func refusal(_ name: String, _ st: stat) -> SystemError? {
        let mode = st.st_mode & 0o7777, regular = st.st_mode & S_IFMT == S_IFREG
        guard !regular || st.st_uid != geteuid() || mode != 0o600 else { return nil }
        let what = regular ? "a file" : "not a regular file"
        return SystemError("attach", "\(name): \(what) owned by uid \(st.st_uid) with mode 0\(String(mode, radix: 8)); "
            + "horus attaches only to regular files of uid \(geteuid()) with mode 0600", code: EPERM)
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
