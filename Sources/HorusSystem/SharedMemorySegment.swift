#if canImport(Glibc)
import Glibc
#endif

/// A mapped POSIX shared-memory object (shm_open + mmap, mode 0600) with an advisory
/// lock (flock) that serializes creation, attachment and removal between processes.
///
/// The mapping stays valid for the life of the process: pools and rings hand out
/// pointers into it, so it is never unmapped while the process runs.
public final class SharedMemorySegment {
    /// The shm name, with its leading slash.
    public let name: String
    /// Start of the mapping.
    public let base: UnsafeMutableRawPointer
    /// Bytes mapped.
    public let size: Int
    private let fd: Int32

    private init(name: String, base: UnsafeMutableRawPointer, size: Int, fd: Int32) {
        self.name = name
        self.base = base
        self.size = size
        self.fd = fd
    }

    /// The outcome of `openLocked`: the locked segment, and whether this call created it
    /// (size 0 before, now `createSize`, zero-filled).
    public struct Opened {
        public let segment: SharedMemorySegment
        public let created: Bool
    }

    /// Opens (or, with `createSize`, creates) the object and returns it mapped and locked
    /// (flock LOCK_EX held: call `unlock()` when set up). An object that another process
    /// unlinked while we waited for its lock is skipped and the open retried.
    public static func openLocked(name: String, createSize: Int?) throws -> Opened {
        while true {
            let flags = createSize == nil ? O_RDWR : (O_RDWR | O_CREAT)
            let fd = shm_open(name, flags, 0o600)
            if fd < 0 { throw SystemError("shm_open", name) }
            if flock(fd, LOCK_EX) != 0 {
                let e = SystemError("flock", name)
                close(fd)
                throw e
            }
            var st = stat()
            if fstat(fd, &st) != 0 {
                let e = SystemError("fstat", name)
                close(fd)
                throw e
            }
            if st.st_nlink == 0 {  // removed by its last user while we waited: start over
                close(fd)
                continue
            }
            var size = Int(st.st_size)
            var created = false
            if size == 0 {
                guard let createSize else {
                    close(fd)
                    throw SystemError("shm_open", name + " (empty segment)", code: ENOENT)
                }
                if ftruncate(fd, off_t(createSize)) != 0 {
                    let e = SystemError("ftruncate", name)
                    close(fd)
                    throw e
                }
                size = createSize
                created = true
            }
            let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            if p == MAP_FAILED || p == nil {
                let e = SystemError("mmap", name)
                close(fd)
                throw e
            }
            return Opened(segment: SharedMemorySegment(name: name, base: p!, size: size, fd: fd), created: created)
        }
    }

    /// Takes the segment's flock (exclusive), blocking.
    public func lock() { _ = flock(fd, LOCK_EX) }

    /// Releases the segment's flock.
    public func unlock() { _ = flock(fd, LOCK_UN) }

    /// Removes the name; the mapping stays valid for processes that hold it.
    public func unlink() { _ = shm_unlink(name) }

    /// Re-creates the object's contents: zero-fills `size` bytes (used when every user of
    /// a leftover segment is dead and it is taken over fresh).
    public func zeroFill() { memset(base, 0, size) }
}
