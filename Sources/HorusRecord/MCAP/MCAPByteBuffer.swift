/// A growable, reusable little-endian byte buffer used to assemble chunks and summary sections before one write(2).
///
/// Memory is allocated once and grown geometrically; `removeAll(keepingPrefix:)` resets it without freeing.
final class MCAPByteBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count: Int = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Ensures room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if capacity - count < extra { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends `n` bytes for the caller to write in place; returns where they start.
    func appendUninitialized(_ n: Int) -> UnsafeMutableRawPointer {
        reserve(n)
        let p = base + count
        count += n
        return p
    }

    /// Drops content after the first `prefix` bytes (keeps the allocation).
    func removeAll(keepingPrefix prefix: Int = 0) { count = min(prefix, count) }

    /// Appends `count` zero bytes (placeholder to patch later).
    func appendZeros(_ n: Int) {
        reserve(n)
        (base + count).initializeMemory(as: UInt8.self, repeating: 0, count: n)
        count += n
    }

    @inline(__always)
    func append<T: FixedWidthInteger>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        base.storeBytes(of: value.littleEndian, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }

    /// Copies raw bytes in with a single memcpy.
    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: src, byteCount: bytes.count)
        count += bytes.count
    }

    /// Copies raw bytes in and continues `crc` over them in the same pass (one read of the source).
    @inline(__always)
    func appendChecksummed(_ bytes: UnsafeRawBufferPointer, crc: UInt32) -> UInt32 {
        guard bytes.count > 0 else { return crc }
        reserve(bytes.count)
        let c = MCAPCRC32.copy(crc, bytes, to: base + count)
        count += bytes.count
        return c
    }

    /// Appends an MCAP String: u32 byte length + UTF-8.
    func append(string: String) {
        var s = string
        s.withUTF8 { utf8 in
            append(UInt32(utf8.count))
            append(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Appends u32-length-prefixed bytes.
    func append(prefixedBytes bytes: [UInt8]) {
        append(UInt32(bytes.count))
        bytes.withUnsafeBytes { append($0) }
    }

    /// Overwrites an integer previously appended at `offset`.
    @inline(__always)
    func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= count)
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }
}
