import CHorus
import HorusMemory
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a `horus_tensor_t*` points at: a Swift object holding the tensor view (which
/// holds the slot reference) and the message metadata. The C reference count is `refs`
/// (horus_tensor_retain / release), not Swift's: while refs > 0 the object holds one Swift
/// reference of its own (from `retainedPointer`). When refs drops to 0 the payload (the
/// slot reference) is dropped at once and the object goes back to the cache it came from
/// (`home`), to be reused by the next receive or creation, or is freed.
final class Handle {
    // Unchecked exclusivity: a handle is used by one thread at a time (horus_c_api.h says
    // so), and a dynamic check per access would cost more than the accesses.
    /// The tensor, in memory of its own so that reads borrow it in place (`tensor` is an
    /// address accessor: passing it on copies nothing; a stored `Tensor?` was copied and
    /// destroyed on every read, about 280 instructions). Initialized exactly while `holds`:
    /// not while idle in a cache (no C reference exists then).
    private let sample = UnsafeMutablePointer<Tensor>.allocate(capacity: 1)
    @exclusivity(unchecked) private var holds = false
    @exclusivity(unchecked) private(set) var kind: MessageKind
    /// Image encoding / point format / depth unit raw value (0 for tensors).
    @exclusivity(unchecked) private(set) var encoding: UInt8
    @exclusivity(unchecked) var timestampNs: UInt64
    @exclusivity(unchecked) var frameID: String
    let refs = Atomic<Int>(0)
    /// Where the handle returns when its last reference is released (nil: freed).
    @exclusivity(unchecked) private var home: HandleCache?
    /// `home.keepsStorage`, read without touching the cache object.
    @exclusivity(unchecked) private var keepsStorage = false
    /// The storage object of this handle's last loan, kept (holding no slot, only this handle
    /// referring to it) for its next loan: no object allocated and freed per loan.
    @exclusivity(unchecked) private var spare: SlotStorage?

    init(tensor: Tensor, kind: MessageKind = .tensor, encoding: UInt8 = 0, timestampNs: UInt64 = 0, frameID: String = "") {
        self.kind = kind
        self.encoding = encoding
        self.timestampNs = timestampNs
        self.frameID = frameID
        sample.initialize(to: tensor)
        holds = true
    }

    deinit {
        if holds { sample.deinitialize(count: 1) }
        sample.deallocate()
    }

    /// A handle from `cache` (reused when one is idle there, else new) that returns to it.
    static func recycled(from cache: HandleCache, tensor: consuming Tensor, kind: MessageKind, encoding: UInt8,
                         timestampNs: UInt64 = 0, frameID: String = "") -> Handle {
        guard let h = cache.pop() else {
            let h = Handle(tensor: tensor, kind: kind, encoding: encoding, timestampNs: timestampNs, frameID: frameID)
            h.setHome(cache)
            return h
        }
        h.sample.initialize(to: tensor)  // moved in (consuming): no retain
        h.holds = true
        h.kind = kind
        h.encoding = encoding
        h.timestampNs = timestampNs
        h.frameID = frameID
        return h
    }

    private func setHome(_ cache: HandleCache) {
        home = cache
        keepsStorage = cache.keepsStorage
    }

    /// A loan's handle: a tensor over a new slot of `pool`, in a handle from `cache` whose
    /// spare storage object (if it has one) takes the slot, so no object is allocated.
    @inline(__always)  // (one caller; inlined, the returned handle's retain and release pair folds away)
    static func loaned(from cache: HandleCache, pool: Pool, dims: Dims, dtype: DType, zeroed: Bool,
                       kind: MessageKind, encoding: UInt8) throws -> Handle {
        guard let h = cache.pop() else {
            let t = try Tensor(dims: dims, dtype: dtype, pool: pool, zeroed: zeroed)
            let h = Handle(tensor: t, kind: kind, encoding: encoding)
            h.setHome(cache)
            return h
        }
        // (on a throw the popped handle is simply freed, its spare with it)
        if let spare = h.spare.take() {
            h.sample.initialize(to: try Tensor(dims: dims, dtype: dtype, pool: pool, zeroed: zeroed, reusing: spare))
        } else {
            h.sample.initialize(to: try Tensor(dims: dims, dtype: dtype, pool: pool, zeroed: zeroed))
        }
        h.holds = true
        h.kind = kind
        h.encoding = encoding
        h.timestampNs = 0
        h.frameID = ""
        return h
    }

    @inline(__always) var tensor: Tensor { unsafeAddress { UnsafePointer(sample) } }
    /// The tensor's memory, for reading several fields in place (valid while the handle holds one).
    @inline(__always) var tensorPointer: UnsafePointer<Tensor> { UnsafePointer(sample) }

    /// The handle as an opaque pointer carrying one (+1) C reference.
    @inline(__always)
    func retainedPointer() -> OpaquePointer {
        refs.store(1, ordering: .relaxed)
        return OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// horus_tensor_retain.
    func retain() { refs.wrappingAdd(1, ordering: .relaxed) }

    /// horus_tensor_release. The last reference drops the payload (the slot reference)
    /// and recycles the object: back to its cache, or freed. Only Unmanaged operations
    /// touch the object once its last C reference is gone.
    static func release(_ p: OpaquePointer) {
        let u = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(p))
        // The cache is passed on unretained: the handle, alive until `u.release()`, holds it.
        let home: Unmanaged<HandleCache>?? = u._withUnsafeGuaranteedRef { h in
            guard h.refs.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return .none }
            if h.keepsStorage, isKnownUniquelyReferenced(&h.sample.pointee.storage) {
                let storage = h.sample.pointee.storage
                h.sample.deinitialize(count: 1)
                storage.releaseSlot()  // (the slot goes back now, as before; the object stays)
                h.spare = storage
            } else {
                h.sample.deinitialize(count: 1)
            }
            h.holds = false
            if h.frameID.utf8.count > 15 { h.frameID = "" }  // a small string is inline; a large one is freed now
            return .some(h.home.map { Unmanaged.passUnretained($0) })
        }
        guard case .some(let cache) = home else { return }
        if let cache, cache._withUnsafeGuaranteedRef({ $0.push(u) }) { return }
        u.release()
    }

    /// Runs `body` with the handle behind a pointer borrowed, not retained (the per-message
    /// calls). The pointer must come from this library.
    @inline(__always)
    static func borrowing<R>(_ p: OpaquePointer?, _ name: String = "handle", _ body: (Handle) throws -> R) throws -> R {
        guard let p else { throw CABIError.invalid("\(name) must not be NULL") }
        return try Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(p))._withUnsafeGuaranteedRef(body)
    }

    /// The handle behind a pointer (not retained). The pointer must come from this library.
    static func from(_ p: OpaquePointer?, _ name: String = "handle") throws -> Handle {
        try borrowing(p, name) { $0 }
    }

    /// Writes the descriptor of the handle's sample, as `kind`, at `d` (the tensor read in place).
    @inline(__always)
    func writeDescriptor(kind: MessageKind, into d: UnsafeMutablePointer<horus_descriptor>) {
        Descriptor.encode(tensorAt: sample, kind: kind, encoding: encoding, timestampNs: timestampNs, frameID: frameID, into: d)
    }

    func descriptor() -> Descriptor {
        Descriptor(tensor: tensor, kind: kind, encoding: encoding, timestampNs: timestampNs, frameID: frameID)
    }

    /// The name of the encoding / format / unit ("" for tensors), in static storage.
    var encodingName: UnsafePointer<CChar> {
        switch kind {
        case .tensor: return emptyCString
        case .image: return EncodingNames.image[Int(encoding)]
        case .pointCloud: return EncodingNames.format[Int(encoding)]
        case .depthImage: return EncodingNames.unit[Int(encoding)]
        }
    }
}

/// Static C strings for encoding names (allocated once, never freed).
enum EncodingNames {
    static let image: [UnsafePointer<CChar>] = ImageEncoding.allCases.map { UnsafePointer(strdup($0.description)!) }
    static let format: [UnsafePointer<CChar>] = PointFormat.allCases.map { UnsafePointer(strdup($0.description)!) }
    static let unit: [UnsafePointer<CChar>] = DepthUnit.allCases.map { UnsafePointer(strdup($0.description)!) }
    /// The cases in the order of `image` and `format`.
    static let imageCases = ImageEncoding.allCases
    static let formatCases = PointFormat.allCases

    /// The index of the C string `p` among `names`, ASCII case-insensitively, without making a
    /// Swift String (a loan per message parses its encoding: about 470 instructions that way).
    /// nil sends the caller to its String path, which also makes the error message.
    static func index(of p: UnsafePointer<CChar>, in names: [UnsafePointer<CChar>]) -> Int? {
        for i in names.indices where strcasecmp(names[i], p) == 0 { return i }
        return nil
    }
}

// MARK: - Argument parsing

func parseDType(_ code: Int32) throws -> DType {
    guard code >= 0, code <= 255, let d = DType(rawValue: UInt8(code)) else {
        throw CABIError.invalid("unknown dtype code \(code) (expected 0...\(DType.allCases.count - 1))")
    }
    return d
}

func parseEncoding(_ p: UnsafePointer<CChar>?) throws -> ImageEncoding {
    if let p, let i = EncodingNames.index(of: p, in: EncodingNames.image) { return EncodingNames.imageCases[i] }
    let name = try requireString(p, "encoding")
    guard let e = ImageEncoding(name: name) else {
        throw CABIError.invalid("unknown image encoding '\(name)' (known: \(ImageEncoding.allCases.map(\.description).joined(separator: ", ")))")
    }
    return e
}

func parseFormat(_ p: UnsafePointer<CChar>?) throws -> PointFormat {
    if let p, let i = EncodingNames.index(of: p, in: EncodingNames.format) { return EncodingNames.formatCases[i] }
    let name = try requireString(p, "format")
    guard let f = PointFormat(name: name) else {
        throw CABIError.invalid("unknown point format '\(name)' (known: xyz, xyzi, xyzrgb)")
    }
    return f
}

func parseUnit(_ p: UnsafePointer<CChar>?) throws -> DepthUnit {
    let name = try requireString(p, "unit").lowercased()
    switch name {
    case "meters", "m", "float32": return .meters
    case "millimeters", "mm", "uint16": return .millimeters
    default: throw CABIError.invalid("unknown depth unit '\(name)' (known: meters, millimeters)")
    }
}

/// Validates a shape (0...6 non-negative extents, byte size without overflow).
func parseShape(_ shape: UnsafePointer<Int64>?, _ ndim: Int32, dtype: DType) throws -> Dims {
    guard ndim >= 0, Int(ndim) <= Dims.maxCount else {
        throw CABIError.invalid("ndim \(ndim) not in 0...\(Dims.maxCount)")
    }
    if ndim > 0 && shape == nil { throw CABIError.invalid("shape must not be NULL") }
    var dims = Dims()
    var bytes = dtype.size
    for i in 0..<Int(ndim) {
        let v = shape![i]
        guard v >= 0 else { throw CABIError.invalid("negative extent \(v) in dimension \(i)") }
        guard v <= Int64(UInt32.max) else { throw CABIError.invalid("extent \(v) in dimension \(i) exceeds \(UInt32.max)") }
        let (b, o) = bytes.multipliedReportingOverflow(by: Int(v))
        guard !o else { throw CABIError.invalid("shape is too large") }
        bytes = b
        dims.append(Int(v))
    }
    return dims
}

@inline(__always)
func checkSize(_ name: @autoclosure () -> String, _ v: Int64) throws -> Int {
    guard v >= 0, v <= Int64(UInt32.max) else { throw CABIError.invalid("\(name()) \(v) out of range 0...\(UInt32.max)") }
    return Int(v)
}

/// The pool behind a pool pointer (NULL: the process default pool).
func poolFrom(_ p: OpaquePointer?) throws -> Pool {
    try withPool(p) { $0 }
}

/// Runs `body` with the pool behind a pool pointer (NULL: the process default pool),
/// borrowed rather than retained (a loan per message).
@inline(__always)
func withPool<R>(_ p: OpaquePointer?, _ body: (Pool) throws -> R) throws -> R {
    guard let p else { return try body(Pool.shared()) }
    return try Unmanaged<Pool>.fromOpaque(UnsafeRawPointer(p))._withUnsafeGuaranteedRef(body)
}

/// A new handle of `kind` over a fresh tensor: zero-filled, filled from `bytes` (one
/// memcpy), or a loan (`zeroed: false`: the slot's previous bytes, left for the caller to overwrite).
func makeSample(pool: OpaquePointer?, shape: Dims, dtype: DType, kind: MessageKind, encoding: UInt8,
                bytes: UnsafeRawPointer?, nbytes: Int?, zeroed: Bool = true, out: UnsafeMutablePointer<OpaquePointer?>?) throws {
    let out = try requireOut(out)
    var need = dtype.size
    for v in shape {
        let (b, o) = need.multipliedReportingOverflow(by: v)
        guard !o else { throw CABIError.invalid("\(kind) of shape \(shape) is too large") }
        need = b
    }
    if let nbytes {
        guard nbytes == need else {
            throw CABIError.buffer("\(nbytes) bytes given, \(kind) of shape \(shape) and dtype \(dtype) needs \(need)")
        }
        guard let bytes = bytes ?? (need == 0 ? UnsafeRawPointer(emptyCString) : nil) else {
            throw CABIError.invalid("data must not be NULL")
        }
        let tensor = try Tensor(copyingBytes: UnsafeRawBufferPointer(start: bytes, count: nbytes), shape: Array(shape), dtype: dtype, pool: poolFrom(pool))
        out.pointee = Handle.recycled(from: .creation, tensor: consume tensor, kind: kind, encoding: encoding).retainedPointer()
    } else {
        // (the per-message loan: the pool borrowed, the handle's spare storage object reused)
        out.pointee = try withPool(pool) {
            try Handle.loaned(from: .creation, pool: $0, dims: shape, dtype: dtype, zeroed: zeroed, kind: kind, encoding: encoding)
        }.retainedPointer()
    }
}
