#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write-only POSIX file descriptor that tracks the current file offset and writes whole buffers with write(2).
final class MCAPFileOutput {
    let path: String
    private var fd: Int32
    /// Bytes written so far (the offset of the next byte).
    private(set) var offset: UInt64 = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw MCAPError(path: path, offset: 0, problem: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
    }

    deinit { if fd >= 0 { _ = posixClose(fd) } }

    /// Writes all of `bytes`, retrying on EINTR and partial writes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var p = bytes.baseAddress, bytes.count > 0 else { return }
        var left = bytes.count
        while left > 0 {
            let n = posixWrite(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw MCAPError(path: path, offset: offset, problem: "write failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                throw MCAPError(path: path, offset: offset, problem: "write returned 0 bytes")
            }
            p += n
            left -= n
            offset += UInt64(n)
        }
    }

    func close() throws {
        guard fd >= 0 else { return }
        let rc = posixClose(fd)
        fd = -1
        if rc != 0 {
            throw MCAPError(path: path, offset: offset, problem: "close failed: \(String(cString: strerror(errno)))")
        }
    }
}

// File-scope wrappers so the class's own `write`/`close` methods do not shadow the C functions.
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }
