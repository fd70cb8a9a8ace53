import HorusMemory
import HorusTopics

/// The four pool-backed types as the C ABI's topic endpoints move them: a handle of the
/// type is checked and published by writing its descriptor straight from the handle's
/// fields (no message formed), and a received message is read back into a handle's fields.
protocol CABISample: TopicMessage & PoolBackedMessage {
    /// Throws when the handle's geometry is not one of this type (never for handles this
    /// library made with the kind, checked anyway: a crash is no answer to a C caller).
    static func check(handle h: Handle) throws
    /// Encoding / format / unit raw value, timestamp and frame id (what a handle keeps).
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { get }
}

extension Tensor: CABISample {
    static func check(handle h: Handle) throws {}
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (0, timestampNs, frameID) }
}

/// The handle's kind was checked against the publisher's; its encoding and geometry are
/// checked here before the message initializer's preconditions see them.
private func mismatch(_ h: Handle) -> CABIError {
    CABIError.invalid("a \(h.kind) handle of shape \(h.tensor.shape) and dtype \(h.tensor.dtype) does not match its encoding \(h.encoding)")
}

extension Image: CABISample {
    static func check(handle h: Handle) throws {
        guard let e = ImageEncoding(rawValue: h.encoding), h.dtype == e.dtype, h.ndim == 3, h.extent(2) == e.channels else { throw mismatch(h) }
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (encoding.rawValue, timestampNs, frameID) }
}

extension PointCloud: CABISample {
    static func check(handle h: Handle) throws {
        guard let f = PointFormat(rawValue: h.encoding), h.dtype == .float32, h.ndim == 2, h.extent(1) == f.fieldCount else { throw mismatch(h) }
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (format.rawValue, timestampNs, frameID) }
}

extension DepthImage: CABISample {
    static func check(handle h: Handle) throws {
        guard let u = DepthUnit(rawValue: h.encoding), h.dtype == u.dtype, h.ndim == 2 else { throw mismatch(h) }
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (unit.rawValue, timestampNs, frameID) }
}
