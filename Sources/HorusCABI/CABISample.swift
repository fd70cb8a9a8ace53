import CHorus
import HorusMemory
import HorusTopics

/// The four pool-backed types as the C ABI's topic endpoints move them: a handle of the
/// type is checked and published by writing its descriptor straight from the handle's
/// fields (no message formed), and a received message is read back into a handle's fields.
protocol CABISample: TopicMessage & PoolBackedMessage {
    /// Throws when the handle's geometry is not one of this type (never for handles this
    /// library made with the kind, checked anyway: a crash is no answer to a C caller).
    static func check(handle h: Handle) throws
    /// What a handle keeps of a validated descriptor's encoding byte (0 for tensors), or nil
    /// when it is none of this type's (validation checked it; never trusted twice).
    static func handleEncoding(_ raw: UInt8) -> UInt8?
}

extension CABISample {
    /// The handle (+1) of the sample whose descriptor is the private copy at `d`: validated and
    /// referenced (`Tensor(validatingDescriptorAt:)`, as `M`'s own initializer does), then put in
    /// a handle from `cache` directly, no `M` formed.
    @inline(__always)
    static func handle(decoding d: UnsafePointer<horus_descriptor>, storage: UnsafeMutablePointer<SlotStorageCache>,
                       from cache: HandleCache) throws -> OpaquePointer {
        let t = try Tensor(validatingDescriptorAt: d, expecting: kind, readOnly: true, cache: storage)
        guard let encoding = handleEncoding(d.pointee.encoding) else {
            throw DescriptorError.wrongKind(expected: kind, found: "\(kind) with encoding \(d.pointee.encoding)")
        }
        return Handle.recycled(from: cache, tensor: consume t, kind: kind, encoding: encoding, timestampNs: d.pointee.timestamp_ns,
                               frameID: Descriptor.frameID(at: d)).retainedPointer()
    }
}

extension Tensor: CABISample {
    static func check(handle h: Handle) throws {}
    static func handleEncoding(_ raw: UInt8) -> UInt8? { 0 }
}

/// The handle's kind was checked against the publisher's; its encoding and geometry are
/// checked here before the message initializer's preconditions see them.
private func mismatch(_ h: Handle) -> CABIError {
    CABIError.invalid("a \(h.kind) handle of shape \(h.tensor.shape) and dtype \(h.tensor.dtype) does not match its encoding \(h.encoding)")
}

extension Image: CABISample {
    static func check(handle h: Handle) throws {
        guard let e = ImageEncoding(rawValue: h.encoding), h.tensor.dtype == e.dtype, h.tensor.ndim == 3, h.tensor.shape[2] == e.channels else { throw mismatch(h) }
    }
    static func handleEncoding(_ raw: UInt8) -> UInt8? { ImageEncoding(rawValue: raw)?.rawValue }
}

extension PointCloud: CABISample {
    static func check(handle h: Handle) throws {
        guard let f = PointFormat(rawValue: h.encoding), h.tensor.dtype == .float32, h.tensor.ndim == 2, h.tensor.shape[1] == f.fieldCount else { throw mismatch(h) }
    }
    static func handleEncoding(_ raw: UInt8) -> UInt8? { PointFormat(rawValue: raw)?.rawValue }
}

extension DepthImage: CABISample {
    static func check(handle h: Handle) throws {
        guard let u = DepthUnit(rawValue: h.encoding), h.tensor.dtype == u.dtype, h.tensor.ndim == 2 else { throw mismatch(h) }
    }
    static func handleEncoding(_ raw: UInt8) -> UInt8? { DepthUnit(rawValue: raw)?.rawValue }
}
