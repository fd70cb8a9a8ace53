import CHorus

/// The fixed-size (144-byte) plain message that stands for a pool-backed sample in a
/// topic ring: pool, slot, generation and geometry, plus type-specific fields, a
/// timestamp and a frame id. The layout is `horus_descriptor` in CHorus.
public struct Descriptor: @unchecked Sendable {
    public var raw: horus_descriptor

    /// Exact size in bytes.
    public static let byteSize = MemoryLayout<horus_descriptor>.size

    public init(raw: horus_descriptor) { self.raw = raw }

    /// Describes `tensor` as a sample of `kind` with a type-specific `encoding` byte.
    public init(tensor t: Tensor, kind: MessageKind, encoding: UInt8, timestampNs: UInt64, frameID: String) {
        var r = horus_descriptor()
        r.magic = UInt16(HORUS_DESCRIPTOR_MAGIC)
        r.version = UInt8(HORUS_DESCRIPTOR_VERSION)
        r.kind = kind.rawValue
        r.pool_id = t.storage.pool.id
        r.slot = t.storage.slot
        r.generation = t.storage.generation
        r.offset = UInt64(t.byteOffset)
        r.byte_length = UInt64(t.storage.byteCount)
        r.dtype = t.dtype.rawValue
        r.ndim = UInt8(t.ndim)
        r.encoding = encoding
        r.flags = t.isReadOnly ? UInt8(HORUS_DESC_FLAG_READ_ONLY) : 0
        withUnsafeMutableBytes(of: &r.shape) { b in
            for i in 0..<t.ndim { b.storeBytes(of: UInt32(truncatingIfNeeded: t.shape[i]), toByteOffset: i * 4, as: UInt32.self) }
        }
        withUnsafeMutableBytes(of: &r.strides) { b in
            for i in 0..<t.ndim { b.storeBytes(of: Int64(t.strides[i]), toByteOffset: i * 8, as: Int64.self) }
        }
        r.timestamp_ns = timestampNs
        withUnsafeMutableBytes(of: &r.frame_id) { b in
            for (i, c) in frameID.utf8.prefix(b.count - 1).enumerated() { b[i] = c }
        }
        raw = r
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
        return Swift.withUnsafeBytes(of: raw.frame_id) { b in
            let end = b.firstIndex(of: 0) ?? b.count
            return String(decoding: UnsafeBufferPointer(start: b.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end),
                          as: UTF8.self)
        }
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
