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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MCAPError(path: path, offset: 0, problem: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { _ = close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw MCAPError(path: path, offset: 0, problem: "cannot stat: \(String(cString: strerror(errno)))")
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

    deinit {
        if let mapping { _ = munmap(mapping, mappedLength) }
    }
}
