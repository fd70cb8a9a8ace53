#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file, unmapped on deinit.
///
/// The file must not shrink while mapped (that would fault on access); recorders only append.
final class MCAPMappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?
    private let mappedLength: Int

    init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw MCAPError(path: path, offset: 0, problem: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { _ = close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw MCAPError(path: path, offset: 0, problem: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw MCAPError(path: path, offset: 0, problem: "not a regular file (\(Self.kind(st.st_mode))); recordings are read from regular files only")
        }
        let size = Int(st.st_size)
        if size == 0 {
            mapping = nil
            mappedLength = 0
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw MCAPError(path: path, offset: 0, problem: "cannot map \(size) bytes: \(String(cString: strerror(errno)))")
        }
        mapping = p
        mappedLength = size
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    /// `a FIFO`, `a directory`, ... for the file type bits of `mode`.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "file type 0o\(String(mode & S_IFMT, radix: 8))"
        }
    }

    deinit {
        if let mapping { _ = munmap(mapping, mappedLength) }
    }
}
