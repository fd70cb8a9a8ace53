import HorusMemory
import HorusTopics

/// The four pool-backed types as the C ABI's topic endpoints move them: formed from a
/// handle for publishing (sharing its tensor, no descriptor round trip), and read back
/// into a handle's fields when received.
protocol CABISample: TopicMessage & PoolBackedMessage {
    /// Throws when the handle's geometry is not one of this type (never for handles this
    /// library made with the kind, checked anyway: a crash is no answer to a C caller).
    init(handle h: Handle) throws
    /// Encoding / format / unit raw value, timestamp and frame id (what a handle keeps).
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { get }
}

extension Tensor: CABISample {
    init(handle h: Handle) throws {
        self = h.tensor
        timestampNs = h.timestampNs
        frameID = h.frameID
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (0, timestampNs, frameID) }
}

/// The handle's kind was checked against the publisher's; its encoding and geometry are
/// checked here before the message initializer's preconditions see them.
private func mismatch(_ h: Handle) -> CABIError {
    CABIError.invalid("a \(h.kind) handle of shape \(h.tensor.shape) and dtype \(h.tensor.dtype) does not match its encoding \(h.encoding)")
}

extension Image: CABISample {
    init(handle h: Handle) throws {
        let t = h.tensor
        guard let e = ImageEncoding(rawValue: h.encoding), t.dtype == e.dtype, t.ndim == 3, t.shape[2] == e.channels else { throw mismatch(h) }
        self.init(tensor: t, encoding: e, timestampNs: h.timestampNs, frameID: h.frameID)
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (encoding.rawValue, timestampNs, frameID) }
}

extension PointCloud: CABISample {
    init(handle h: Handle) throws {
        let t = h.tensor
        guard let f = PointFormat(rawValue: h.encoding), t.dtype == .float32, t.ndim == 2, t.shape[1] == f.fieldCount else { throw mismatch(h) }
        self.init(tensor: t, format: f, timestampNs: h.timestampNs, frameID: h.frameID)
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (format.rawValue, timestampNs, frameID) }
}

extension DepthImage: CABISample {
    init(handle h: Handle) throws {
        let t = h.tensor
        guard let u = DepthUnit(rawValue: h.encoding), t.dtype == u.dtype, t.ndim == 2 else { throw mismatch(h) }
        self.init(tensor: t, unit: u, timestampNs: h.timestampNs, frameID: h.frameID)
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (unit.rawValue, timestampNs, frameID) }
}
