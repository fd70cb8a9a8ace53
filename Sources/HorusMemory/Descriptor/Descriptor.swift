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
        UnsafeMutableRawPointer(d).initializeMemory(as: UInt8.self, repeating: 0, count: byteSize)
        d.pointee.magic = UInt16(HORUS_DESCRIPTOR_MAGIC)
        d.pointee.version = UInt8(HORUS_DESCRIPTOR_VERSION)
        d.pointee.kind = kind.rawValue
        let storage = t.storage
        d.pointee.pool_id = storage.pool.id
        d.pointee.slot = storage.slot
        d.pointee.generation = storage.generation
        d.pointee.offset = UInt64(t.byteOffset)
        d.pointee.byte_length = UInt64(storage.byteCount)
        d.pointee.dtype = t.dtype.rawValue
        let ndim = t.ndim
        d.pointee.ndim = UInt8(ndim)
        d.pointee.encoding = encoding
        d.pointee.flags = t.isReadOnly ? UInt8(HORUS_DESC_FLAG_READ_ONLY) : 0
        let base = UnsafeMutableRawPointer(d)
        let shape = base + MemoryLayout<horus_descriptor>.offset(of: \.shape)!
        let strides = base + MemoryLayout<horus_descriptor>.offset(of: \.strides)!
        for i in 0..<ndim {
            shape.storeBytes(of: UInt32(truncatingIfNeeded: t.shape[i]), toByteOffset: i * 4, as: UInt32.self)
            strides.storeBytes(of: Int64(t.strides[i]), toByteOffset: i * 8, as: Int64.self)
        }
        d.pointee.timestamp_ns = timestampNs
        if !frameID.isEmpty {
            let id = base + MemoryLayout<horus_descriptor>.offset(of: \.frame_id)!
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
