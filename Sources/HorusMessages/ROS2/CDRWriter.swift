import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// Copies `count` bytes from `src` to `dst` (a recorder's copy computes its chunk CRC in the same pass).
public typealias CDRBulkCopy = (_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ count: Int) -> Void

/// Writes XCDR1 little-endian CDR (the ROS 2 serialization) into a caller's buffer, or only
/// counts bytes (`measuring`): one encode function gives both the exact size and the bytes.
/// Primitives are aligned to their size (at most 8), relative to the byte after the 4-byte
/// encapsulation header; padding bytes are zero, so the output is deterministic.
public struct CDRWriter {
    /// The encapsulation header of little-endian plain CDR: representation id CDR_LE, options 0.
    public static let encapsulationLE: [UInt8] = [0x00, 0x01, 0x00, 0x00]

    private let base: UnsafeMutableRawPointer?
    private let capacity: Int
    /// How bulk arrays are copied in (memcpy, or a copy that checksums in the same pass).
    private let bulkCopy: CDRBulkCopy?
    /// Bytes written (or counted) so far, the encapsulation header included.
    public private(set) var position = 0

    /// A writer that only counts bytes.
    public static func measuring() -> CDRWriter { CDRWriter(base: nil, capacity: .max) }

    /// A writer into `buffer`; writing past its end throws. `bulkCopy` (default memcpy)
    /// copies the bulk arrays (pixels, points) from their slots.
    public init(into buffer: UnsafeMutableRawBufferPointer, bulkCopy: CDRBulkCopy? = nil) {
        self.init(base: buffer.baseAddress, capacity: buffer.count, bulkCopy: bulkCopy)
    }

    private init(base: UnsafeMutableRawPointer?, capacity: Int, bulkCopy: CDRBulkCopy? = nil) {
        self.base = base
        self.capacity = base == nil ? .max : capacity
        self.bulkCopy = bulkCopy
    }

    /// Reserves `n` bytes at the current position and returns where they go (nil when measuring).
    @inline(__always)
    private mutating func advance(_ n: Int, _ field: StaticString) throws -> UnsafeMutableRawPointer? {
        guard capacity - position >= n else { throw CDRError(field: "\(field)", reason: "buffer of \(capacity) bytes is too small") }
        let p = base.map { $0 + position }
        position += n
        return p
    }

    /// Pads with zeros to a multiple of `n` (relative to the byte after the encapsulation header).
    @inline(__always)
    public mutating func align(_ n: Int) throws {
        let pad = (n - (position - 4) % n) % n
        if pad > 0, let p = try advance(pad, "padding") { memset(p, 0, pad) }
    }

    /// The 4-byte encapsulation header; first thing of every message.
    public mutating func writeEncapsulation() throws {
        if let p = try advance(4, "encapsulation") { for (i, b) in Self.encapsulationLE.enumerated() { p.storeBytes(of: b, toByteOffset: i, as: UInt8.self) } }
    }

    @inline(__always)
    private mutating func put<T: FixedWidthInteger>(_ v: T, _ field: StaticString) throws {
        try align(MemoryLayout<T>.size)
        if let p = try advance(MemoryLayout<T>.size, field) { p.storeBytes(of: v.littleEndian, as: T.self) }
    }

    public mutating func uint8(_ v: UInt8, _ field: StaticString) throws { try put(v, field) }
    public mutating func int8(_ v: Int8, _ field: StaticString) throws { try put(v, field) }
    public mutating func bool(_ v: Bool, _ field: StaticString) throws { try put(UInt8(v ? 1 : 0), field) }
    public mutating func uint16(_ v: UInt16, _ field: StaticString) throws { try put(v, field) }
    public mutating func uint32(_ v: UInt32, _ field: StaticString) throws { try put(v, field) }
    public mutating func int32(_ v: Int32, _ field: StaticString) throws { try put(v, field) }
    public mutating func uint64(_ v: UInt64, _ field: StaticString) throws { try put(v, field) }
    public mutating func float32(_ v: Float, _ field: StaticString) throws { try put(v.bitPattern, field) }
    public mutating func float64(_ v: Double, _ field: StaticString) throws { try put(v.bitPattern, field) }

    /// A string: u32 length including the terminating NUL, the UTF-8 bytes, NUL.
    public mutating func string(_ s: String, _ field: StaticString) throws {
        var s = s
        try s.withUTF8 { u in
            try uint32(UInt32(u.count + 1), field)
            if let p = try advance(u.count + 1, field) {
                if u.count > 0 { memcpy(p, u.baseAddress!, u.count) }
                p.storeBytes(of: 0, toByteOffset: u.count, as: UInt8.self)
            }
        }
    }

    /// A sequence count (u32).
    public mutating func count(_ n: Int, _ field: StaticString) throws {
        guard n >= 0, n <= Int(UInt32.max) else { throw CDRError(field: "\(field)", reason: "\(n) elements do not fit a CDR sequence") }
        try uint32(UInt32(n), field)
    }

    /// `n` raw bytes filled by `fill` (skipped when measuring): the bulk arrays, copied once
    /// from the slot into the destination.
    public mutating func bytes(_ n: Int, _ field: StaticString, fill: (UnsafeMutableRawPointer) throws -> Void) throws {
        if let p = try advance(n, field), n > 0 { try fill(p) }
    }

    /// A `uint8[]` / `int8[]` sequence copied from `src` (through `bulkCopy`).
    public mutating func byteSequence(_ src: UnsafeRawBufferPointer, _ field: StaticString) throws {
        try count(src.count, field)
        let copy = bulkCopy
        try bytes(src.count, field) { dst in
            if let copy { copy(dst, src.baseAddress!, src.count) } else { memcpy(dst, src.baseAddress!, src.count) }
        }
    }

    /// A `uint8[]` sequence of a tensor's elements, row-major: straight from the slot when
    /// contiguous (through `bulkCopy`), gathered otherwise.
    public mutating func tensorBytes(_ t: Tensor, _ field: StaticString) throws {
        if t.isContiguous { return try byteSequence(UnsafeRawBufferPointer(start: t.baseAddress, count: t.nbytes), field) }
        try count(t.nbytes, field)
        try bytes(t.nbytes, field) { RecordFormat.copyContiguous(t, into: $0) }
    }
}
