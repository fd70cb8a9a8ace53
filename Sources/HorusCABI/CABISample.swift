import HorusMemory
import HorusTopics

/// The four pool-backed types as the C ABI's topic endpoints move them: formed from a
/// handle for publishing (sharing its tensor, no descriptor round trip), and read back
/// into a handle's fields when received.
protocol CABISample: TopicMessage & PoolBackedMessage {
    init(handle h: Handle)
    /// Encoding / format / unit raw value, timestamp and frame id (what a handle keeps).
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { get }
}

extension Tensor: CABISample {
    init(handle h: Handle) { self = h.tensor }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (0, 0, "") }
}

// The handle's kind was checked against the publisher's, and a handle of that kind was
// made with the kind's geometry (a create, loan, from_bytes, decode or receive), so the
// encoding raw values below are valid.

extension Image: CABISample {
    init(handle h: Handle) {
        self.init(tensor: h.tensor, encoding: ImageEncoding(rawValue: h.encoding)!, timestampNs: h.timestampNs, frameID: h.frameID)
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (encoding.rawValue, timestampNs, frameID) }
}

extension PointCloud: CABISample {
    init(handle h: Handle) {
        self.init(tensor: h.tensor, format: PointFormat(rawValue: h.encoding)!, timestampNs: h.timestampNs, frameID: h.frameID)
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (format.rawValue, timestampNs, frameID) }
}

extension DepthImage: CABISample {
    init(handle h: Handle) {
        self.init(tensor: h.tensor, unit: DepthUnit(rawValue: h.encoding)!, timestampNs: h.timestampNs, frameID: h.frameID)
    }
    var handleFields: (encoding: UInt8, timestampNs: UInt64, frameID: String) { (unit.rawValue, timestampNs, frameID) }
}
