import CHorus

/// The host services for one node instance (a thin wrapper over `horus_host_t`).
/// Valid only inside the callback it was passed to.
public struct PluginHost {
    public let raw: UnsafePointer<horus_host_t>

    public init(_ raw: UnsafePointer<horus_host_t>) { self.raw = raw }

    /// The graph's name for this node.
    public var nodeName: String { raw.pointee.node_name.map { String(cString: $0) } ?? "" }

    // MARK: Params

    public func int(_ name: String) -> Int? {
        var v: Int64 = 0
        return raw.pointee.param_int(raw, name, &v) == HORUS_OK.rawValue ? Int(v) : nil
    }
    public func double(_ name: String) -> Double? {
        var v = 0.0
        return raw.pointee.param_double(raw, name, &v) == HORUS_OK.rawValue ? v : nil
    }
    public func bool(_ name: String) -> Bool? {
        var v: Int32 = 0
        return raw.pointee.param_bool(raw, name, &v) == HORUS_OK.rawValue ? v != 0 : nil
    }
    public func string(_ name: String) -> String? {
        var v: UnsafePointer<CChar>?
        guard raw.pointee.param_string(raw, name, &v) == HORUS_OK.rawValue, let v else { return nil }
        return String(cString: v)
    }

    // MARK: Ports and messages

    /// The index of the port called `name` (or nil).
    public func port(_ name: String) -> Int32? {
        let i = raw.pointee.port_index(raw, name)
        return i >= 0 ? i : nil
    }

    /// Whether the graph wired port `port`.
    public func isWired(_ port: Int32) -> Bool { raw.pointee.is_wired(raw, port) == 1 }

    /// The next (or, with `latest`, the newest) message on input `port`, nil if none.
    public func take(_ port: Int32, latest: Bool = false) throws -> PluginMessage? {
        var m = horus_message_t()
        let s = raw.pointee.take(raw, port, Int32(latest ? HORUS_TAKE_LATEST.rawValue : HORUS_TAKE_NEXT.rawValue), &m)
        if s == HORUS_EMPTY.rawValue { return nil }
        try check(s, "take on port \(port)")
        return PluginMessage(raw: m, host: raw)
    }

    /// A new writable image (contents not zeroed). `encoding`: 0 rgb8 ... 4 mono8 (see horus_plugin.h).
    public func allocImage(height: Int, width: Int, encoding: UInt8) throws -> PluginMessage {
        try alloc(kind: HORUS_KIND_IMAGE, encoding: Int32(encoding), dtype: 0, shape: [Int64(height), Int64(width)])
    }

    /// A new writable tensor (contents not zeroed).
    public func allocTensor(shape: [Int], dtype: horus_dtype) throws -> PluginMessage {
        try alloc(kind: HORUS_KIND_TENSOR, encoding: 0, dtype: Int32(dtype.rawValue), shape: shape.map(Int64.init))
    }

    /// A new writable message of any kind (see `horus_host_t.alloc`).
    public func alloc(kind: horus_kind, encoding: Int32, dtype: Int32, shape: [Int64]) throws -> PluginMessage {
        var m = horus_message_t()
        let s = shape.withUnsafeBufferPointer { b in
            raw.pointee.alloc(raw, Int32(kind.rawValue), encoding, dtype, Int32(b.count), b.baseAddress, &m)
        }
        try check(s, "alloc")
        return PluginMessage(raw: m, host: raw)
    }

    /// Publishes `message` on output `port` with its timestamp and frame id.
    public func publish(_ port: Int32, _ message: borrowing PluginMessage) throws {
        let s = withUnsafePointer(to: message.raw) { raw.pointee.publish(raw, port, $0) }
        try check(s, "publish on port \(port)")
    }

    // MARK: Struct messages (plugin ABI 1.1)

    /// Whether the host's table reaches the ABI 1.1 services (a 1.0 host's table is shorter).
    var hasStructServices: Bool {
        Int(raw.pointee.struct_size) > MemoryLayout<horus_host_t>.offset(of: \.publish_struct)!
    }

    /// The next (or, with `latest`, the newest) struct message on input `port` as a `T`, the
    /// type's C layout (e.g. `horus_obstacle_alert_t`); nil if none. Copied out, nothing to release.
    public func takeStruct<T: BitwiseCopyable>(_ port: Int32, as _: T.Type = T.self, latest: Bool = false) throws -> T? {
        guard hasStructServices, let takeStruct = raw.pointee.take_struct else { throw PluginError("this host has no struct messages (plugin ABI 1.0)") }
        let mode = Int32(latest ? HORUS_TAKE_LATEST.rawValue : HORUS_TAKE_NEXT.rawValue)
        var value: T? = nil
        let s = withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buf -> Int32 in
            let s = takeStruct(raw, port, mode, buf.baseAddress!, UInt64(MemoryLayout<T>.size))
            if s == HORUS_OK.rawValue { value = UnsafeRawPointer(buf.baseAddress!).load(as: T.self) }
            return s
        }
        if s == HORUS_EMPTY.rawValue { return nil }
        try check(s, "take_struct on port \(port)")
        return value
    }

    /// Publishes `value` (the struct type's C layout) as one struct message on output `port`.
    public func publishStruct<T: BitwiseCopyable>(_ port: Int32, _ value: T) throws {
        guard hasStructServices, let publishStruct = raw.pointee.publish_struct else { throw PluginError("this host has no struct messages (plugin ABI 1.0)") }
        let s = withUnsafeBytes(of: value) { publishStruct(raw, port, $0.baseAddress, UInt64($0.count)) }
        try check(s, "publish_struct on port \(port)")
    }

    // MARK: Misc

    public func log(_ message: String, level: horus_log_level = HORUS_LOG_INFO) {
        raw.pointee.log(raw, Int32(level.rawValue), message)
    }

    /// The graph clock, ns.
    public var now: UInt64 { raw.pointee.now_ns(raw) }

    func check(_ status: Int32, _ what: String) throws {
        guard status == HORUS_OK.rawValue else { throw PluginError("\(what) failed with status \(status)", status: status) }
    }
}

/// A message held through a host handle; the handle is released when this value ends.
public struct PluginMessage: ~Copyable {
    /// The host's view: handle, data pointer, geometry, timestamp, descriptor.
    public var raw: horus_message_t
    let host: UnsafePointer<horus_host_t>

    init(raw: horus_message_t, host: UnsafePointer<horus_host_t>) {
        self.raw = raw
        self.host = host
    }

    deinit { _ = host.pointee.release(host, raw.handle) }

    public var kind: horus_kind { horus_kind(rawValue: UInt32(raw.kind)) }
    public var encoding: UInt8 { raw.encoding }
    public var ndim: Int { Int(raw.ndim) }
    public var isReadOnly: Bool { raw.flags & UInt32(HORUS_MESSAGE_READ_ONLY) != 0 }
    public var data: UnsafeMutableRawPointer { raw.data }

    /// Extent of dimension `i`.
    public func shape(_ i: Int) -> Int { withUnsafeBytes(of: raw.shape) { Int($0.load(fromByteOffset: i * 8, as: Int64.self)) } }
    /// Stride of dimension `i`, in elements.
    public func stride(_ i: Int) -> Int { withUnsafeBytes(of: raw.strides) { Int($0.load(fromByteOffset: i * 8, as: Int64.self)) } }

    /// Image / depth height, rows.
    public var height: Int { shape(0) }
    /// Image / depth width, columns.
    public var width: Int { shape(1) }
    /// Image channels.
    public var channels: Int { ndim >= 3 ? shape(2) : 1 }

    public var timestampNs: UInt64 {
        get { raw.timestamp_ns }
        set { raw.timestamp_ns = newValue }
    }

    public var frameID: String {
        get { withUnsafeBytes(of: raw.frame_id) { b in String(decoding: b.prefix(while: { $0 != 0 }), as: UTF8.self) } }
        set {
            withUnsafeMutableBytes(of: &raw.frame_id) { b in
                b.initializeMemory(as: UInt8.self, repeating: 0)
                for (i, c) in newValue.utf8.prefix(b.count - 1).enumerated() { b[i] = c }
            }
        }
    }

    /// Copies timestamp and frame id from `other` (propagating data time downstream).
    public mutating func stamp(like other: borrowing PluginMessage) {
        raw.timestamp_ns = other.raw.timestamp_ns
        raw.frame_id = other.raw.frame_id
    }
}
