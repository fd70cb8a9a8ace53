import CHorus

/// The fixed-size (144-byte) plain message that stands for a pool-backed sample in a
/// topic ring: pool, slot, generation and geometry, plus type-specific fields, a
/// timestamp and a frame id. The layout is `horus_descriptor` in CHorus.
public struct Descriptor: @unchecked Sendable {
    public var raw: horus_descriptor

    /// Exact size in bytes.
    @inlinable public static var byteSize: Int { MemoryLayout<horus_descriptor>.size }  // a constant; no lazy-global check

    public init(raw: horus_descriptor) { self.raw = raw }

    /// Describes `tensor` as a sample of `kind` with a type-specific `encoding` byte.
    public init(tensor t: Tensor, kind: MessageKind, encoding: UInt8, timestampNs: UInt64, frameID: String) {
        var r = horus_descriptor()
        Descriptor.encode(tensor: t, kind: kind, encoding: encoding, timestampNs: timestampNs, frameID: frameID, into: &r)
        raw = r
    }

    /// Writes the descriptor of `tensor` straight into `d` (all 144 bytes): the encode
    /// a publisher runs, with no intermediate descriptor value to copy.
    @inline(__always)
    public static func encode(tensor t: Tensor, kind: MessageKind, encoding: UInt8, timestampNs: UInt64,
                              frameID: String, into d: UnsafeMutablePointer<horus_descriptor>) {
        withUnsafePointer(to: t) { encode(tensorAt: $0, kind: kind, encoding: encoding, timestampNs: timestampNs, frameID: frameID, into: d) }
    }

    /// `encode(tensor:...)` for the tensor at `t`, read in place (a C ABI handle's: no copy,
    /// so no retain of its storage). Every field is stored once, the unused extents and
    /// strides as the zeros `Dims` keeps beyond its count, so nothing is cleared first.
    public static func encode(tensorAt t: UnsafePointer<Tensor>, kind: MessageKind, encoding: UInt8, timestampNs: UInt64,
                              frameID: String, into d: UnsafeMutablePointer<horus_descriptor>) {
        d.pointee.magic = UInt16(HORUS_DESCRIPTOR_MAGIC)
        d.pointee.version = UInt8(HORUS_DESCRIPTOR_VERSION)
        d.pointee.kind = kind.rawValue
        d.pointee.pool_id = t.pointee.storage.pool.id
        d.pointee.slot = t.pointee.storage.slot
        d.pointee.generation = t.pointee.storage.generation
        d.pointee.offset = UInt64(t.pointee.byteOffset)
        d.pointee.byte_length = UInt64(t.pointee.storage.byteCount)
        d.pointee.dtype = t.pointee.dtype.rawValue
        d.pointee.ndim = UInt8(t.pointee.shape.count)
        d.pointee.encoding = encoding
        d.pointee.flags = t.pointee.isReadOnly ? UInt8(HORUS_DESC_FLAG_READ_ONLY) : 0
        d.pointee.reserved0 = 0
        let e = t.pointee.shape.zeroPadded
        d.pointee.shape = (UInt32(truncatingIfNeeded: e.0), UInt32(truncatingIfNeeded: e.1), UInt32(truncatingIfNeeded: e.2),
                           UInt32(truncatingIfNeeded: e.3), UInt32(truncatingIfNeeded: e.4), UInt32(truncatingIfNeeded: e.5))
        let s = t.pointee.strides.zeroPadded
        d.pointee.strides = (Int64(s.0), Int64(s.1), Int64(s.2), Int64(s.3), Int64(s.4), Int64(s.5))
        d.pointee.timestamp_ns = timestampNs
        let id = UnsafeMutableRawPointer(d) + MemoryLayout<horus_descriptor>.offset(of: \.frame_id)!
        id.storeBytes(of: (UInt64(0), UInt64(0), UInt64(0)), as: (UInt64, UInt64, UInt64).self)
        if !frameID.isEmpty {
            var i = 0
            for c in frameID.utf8.prefix(Int(HORUS_FRAME_ID_CAPACITY) - 1) {  // keeps the NUL
                id.storeBytes(of: c, toByteOffset: i, as: UInt8.self)
                i += 1
            }
        }
    }

    public var kind: MessageKind? { MessageKind(rawValue: raw.kind) }
    public var timestampNs: UInt64 { raw.timestamp_ns }

    /// The frame id (text up to the first NUL; empty if none is set).
    @inlinable
    public var frameID: String {
        // Hot path of every decode: most samples carry no frame id, so skip String work
        // then, and otherwise decode from a contiguous UInt8 buffer (String's fast path;
        // a Slice<UnsafeRawBufferPointer> goes through the generic one).
        if raw.frame_id.0 == 0 { return "" }
        var r = raw
        return Descriptor.frameID(at: &r)
    }

    /// The frame id of the descriptor at `d` (text up to the first NUL).
    @inlinable
    public static func frameID(at d: UnsafePointer<horus_descriptor>) -> String {
        if d.pointee.frame_id.0 == 0 { return "" }
        let bytes = (UnsafeRawPointer(d) + MemoryLayout<horus_descriptor>.offset(of: \.frame_id)!)
            .assumingMemoryBound(to: UInt8.self)
        let all = UnsafeBufferPointer(start: bytes, count: Int(HORUS_FRAME_ID_CAPACITY))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: all.firstIndex(of: 0) ?? all.count), as: UTF8.self)
    }

    func shape(_ i: Int) -> UInt32 { Swift.withUnsafeBytes(of: raw.shape) { $0.load(fromByteOffset: i * 4, as: UInt32.self) } }
    func stride(_ i: Int) -> Int64 { Swift.withUnsafeBytes(of: raw.strides) { $0.load(fromByteOffset: i * 8, as: Int64.self) } }

    /// The bytes, for writing into a ring or a file.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: raw, body)
    }

    /// Reads a descriptor from untrusted bytes (exactly `byteSize` of them); nothing is
    /// checked until `decode`.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.byteSize else { return nil }
        var r = horus_descriptor()
        Swift.withUnsafeMutableBytes(of: &r) { $0.copyMemory(from: bytes) }
        raw = r
    }
}
