/// A bounds-checked little-endian reader over a region of an untrusted file; every read is checked against `end`.
///
/// Positions are absolute file offsets, so errors report where in the file the problem is.
struct MCAPCursor {
    let file: UnsafeRawBufferPointer
    let path: String
    private(set) var position: Int
    let end: Int

    init(file: UnsafeRawBufferPointer, path: String, position: Int, end: Int) {
        precondition(position >= 0 && position <= end && end <= file.count)
        self.file = file
        self.path = path
        self.position = position
        self.end = end
    }

    var remaining: Int { end - position }

    func error(_ problem: String, at offset: Int? = nil) -> MCAPError {
        MCAPError(path: path, offset: UInt64(offset ?? position), problem: problem)
    }

    private func require(_ n: Int, _ what: String) throws {
        if n > remaining {
            throw error("\(what) needs \(n) bytes but only \(remaining) remain in the enclosing record")
        }
    }

    private mutating func load<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        try require(MemoryLayout<T>.size, what)
        let v = file.loadUnaligned(fromByteOffset: position, as: T.self)
        position += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    mutating func u8(_ what: String) throws -> UInt8 { try load(UInt8.self, what) }
    mutating func u16(_ what: String) throws -> UInt16 { try load(UInt16.self, what) }
    mutating func u32(_ what: String) throws -> UInt32 { try load(UInt32.self, what) }
    mutating func u64(_ what: String) throws -> UInt64 { try load(UInt64.self, what) }

    /// Borrows `count` bytes from the file.
    mutating func bytes(_ count: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        try require(count, what)
        let slice = UnsafeRawBufferPointer(rebasing: file[position..<(position + count)])
        position += count
        return slice
    }

    /// Bytes with a u32 length prefix.
    mutating func prefixedBytes32(_ what: String) throws -> UnsafeRawBufferPointer {
        let at = position
        let n = try u32("\(what) length")
        guard UInt64(n) <= UInt64(remaining) else {
            throw error("\(what) length \(n) exceeds the \(remaining) bytes remaining in the record", at: at)
        }
        return try bytes(Int(n), what)
    }

    /// Bytes with a u64 length prefix.
    mutating func prefixedBytes64(_ what: String) throws -> UnsafeRawBufferPointer {
        let at = position
        let n = try u64("\(what) length")
        guard n <= UInt64(remaining) else {
            throw error("\(what) length \(n) exceeds the \(remaining) bytes remaining in the record", at: at)
        }
        return try bytes(Int(n), what)
    }

    /// An MCAP String (u32 length + UTF-8); invalid UTF-8 is repaired rather than trusted.
    mutating func string(_ what: String) throws -> String {
        String(decoding: try prefixedBytes32(what), as: UTF8.self)
    }

    /// A sub-cursor over a u32-length-prefixed region (Array or Map), advancing past it.
    mutating func prefixedRegion32(_ what: String) throws -> MCAPCursor {
        let region = try prefixedBytes32(what)
        let start = position - region.count
        return MCAPCursor(file: file, path: path, position: start, end: position)
    }

    mutating func skip(to offset: Int) { position = offset }

    /// Reads past a Chunk record's fields before its records (times, size, CRC, compression).
    mutating func skipChunkPrefix() throws {
        _ = try u64("chunk message_start_time")
        _ = try u64("chunk message_end_time")
        _ = try u64("chunk uncompressed_size")
        _ = try u32("chunk uncompressed_crc")
        _ = try string("chunk compression")
    }
}
