import CHorus
import HorusGraph
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// The host side of `horus_host_t`: C-callable functions that find their `PluginNode`
/// through the table's `context` pointer. Every argument coming from the plugin is
/// checked (NULL pointers, port indices, handles) and answered with a status code;
/// nothing a plugin passes can make these functions trap.
enum HostServices {
    /// A table with every service filled in (context and node name are set by the node).
    static func table() -> horus_host_t {
        var h = horus_host_t()
        h.abi_version = HORUS_PLUGIN_ABI_VERSION
        h.struct_size = UInt32(MemoryLayout<horus_host_t>.size)
        h.param_int = { host, name, out in
            HostServices.param(host, name) { v in
                guard let out, case .int(let i) = v else { return out == nil ? .invalid : .type }
                out.pointee = Int64(i)
                return .ok
            }
        }
        h.param_double = { host, name, out in
            HostServices.param(host, name) { v in
                guard let out, let d = v.doubleValue else { return out == nil ? .invalid : .type }
                out.pointee = d
                return .ok
            }
        }
        h.param_bool = { host, name, out in
            HostServices.param(host, name) { v in
                guard let out, let b = v.boolValue else { return out == nil ? .invalid : .type }
                out.pointee = b ? 1 : 0
                return .ok
            }
        }
        h.param_string = { host, name, out in HostServices.paramString(host, name, out) }
        h.port_index = { host, name in HostServices.portIndex(host, name) }
        h.is_wired = { host, port in HostServices.isWired(host, port) }
        h.take = { host, port, mode, out in HostServices.take(host, port, mode, out) }
        h.alloc = { host, kind, encoding, dtype, ndim, shape, out in
            HostServices.alloc(host, kind, encoding, dtype, ndim, shape, out)
        }
        h.publish = { host, port, msg in HostServices.publish(host, port, msg) }
        h.release = { host, handle in HostServices.release(host, handle) }
        h.log = { host, level, message in HostServices.log(host, level, message) }
        h.now_ns = { host in HostServices.node(host)?.context?.clock.now() ?? horus_realtime_ns() }
        h.set_error = { host, message in
            guard let node = HostServices.node(host) else { return }
            node.lastError = message.map { String(cString: $0) } ?? "(no message)"
        }
        h.take_struct = { host, port, mode, out, size in HostServices.takeStruct(host, port, mode, out, size) }
        h.publish_struct = { host, port, data, size in HostServices.publishStruct(host, port, data, size) }
        return h
    }

    enum Status: Int32 {
        case ok = 0, empty = 1, notFound = -1, type = -2, badHandle = -3, invalid = -4, noMemory = -5, publish = -6, state = -7
    }

    /// The node behind a host table, or nil for a NULL table / context, or a destroyed node.
    @inline(__always)
    static func node(_ host: UnsafePointer<horus_host_t>?) -> PluginNode? {
        // SAFETY: the plugin hands back the table we gave it; its context is the
        // unretained PluginNode that owns the table and outlives every callback.
        guard let host, let ctx = host.pointee.context else { return nil }
        let node = Unmanaged<PluginNode>.fromOpaque(ctx).takeUnretainedValue()
        guard !node.destroying, node.host == UnsafeMutablePointer(mutating: host) else { return nil }
        return node
    }

    // MARK: Params

    static func param(_ host: UnsafePointer<horus_host_t>?, _ name: UnsafePointer<CChar>?,
                      _ read: (ParamValue) -> Status) -> Int32 {
        guard let node = node(host), let context = node.context else { return Status.state.rawValue }
        guard let name else { return Status.invalid.rawValue }
        let key = String(cString: name)
        guard let value = context.params[key] ?? node.spec.param(key)?.defaultValue else { return Status.notFound.rawValue }
        return read(value).rawValue
    }

    static func paramString(_ host: UnsafePointer<horus_host_t>?, _ name: UnsafePointer<CChar>?,
                            _ out: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        return param(host, name) { v in
            guard let out, let s = v.stringValue else { return out == nil ? .invalid : .type }
            out.pointee = UnsafePointer(node.cString(s))
            return .ok
        }
    }

    // MARK: Ports

    static func portIndex(_ host: UnsafePointer<horus_host_t>?, _ name: UnsafePointer<CChar>?) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        guard let name else { return Status.invalid.rawValue }
        let key = String(cString: name)
        guard let i = node.spec.ports.firstIndex(where: { $0.name == key }) else { return Status.notFound.rawValue }
        return Int32(i)
    }

    static func isWired(_ host: UnsafePointer<horus_host_t>?, _ port: Int32) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        guard port >= 0, Int(port) < node.ports.count else { return Status.invalid.rawValue }
        switch node.ports[Int(port)] {
        case .input(_, let b): return b == nil ? 0 : 1
        case .output(_, let b): return b == nil ? 0 : 1
        }
    }

    // MARK: Messages

    static func take(_ host: UnsafePointer<horus_host_t>?, _ port: Int32, _ mode: Int32,
                     _ out: UnsafeMutablePointer<horus_message_t>?) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        guard let out, port >= 0, Int(port) < node.ports.count,
              mode == Int32(HORUS_TAKE_NEXT.rawValue) || mode == Int32(HORUS_TAKE_LATEST.rawValue),
              case .input(_, let bound) = node.ports[Int(port)] else { return Status.invalid.rawValue }
        guard let bound else { return Status.empty.rawValue }
        let latest = mode == Int32(HORUS_TAKE_LATEST.rawValue)
        let held: HeldMessage
        switch bound {
        case .image(let p): guard let m = latest ? p.latest() : p.next() else { return Status.empty.rawValue }; held = .image(m)
        case .depth(let p): guard let m = latest ? p.latest() : p.next() else { return Status.empty.rawValue }; held = .depth(m)
        case .cloud(let p): guard let m = latest ? p.latest() : p.next() else { return Status.empty.rawValue }; held = .cloud(m)
        case .tensor(let p): guard let m = latest ? p.latest() : p.next() else { return Status.empty.rawValue }; held = .tensor(m)
        case .plain:
            node.lastError = "port \(port) carries a struct message: use take_struct"
            return Status.type.rawValue
        }
        guard let handle = node.hold(held) else { return Status.noMemory.rawValue }
        fill(out, handle: handle, held)
        return Status.ok.rawValue
    }

    static func alloc(_ host: UnsafePointer<horus_host_t>?, _ kind: Int32, _ encoding: Int32, _ dtype: Int32,
                      _ ndim: Int32, _ shape: UnsafePointer<Int64>?, _ out: UnsafeMutablePointer<horus_message_t>?) -> Int32 {
        guard let node = node(host), let context = node.context else { return Status.state.rawValue }
        guard let out, ndim >= 0, ndim <= HORUS_MAX_DIMS, ndim == 0 || shape != nil else { return Status.invalid.rawValue }
        var extents = Dims()
        for i in 0..<Int(ndim) {
            let e = shape![i]
            guard e >= 0, e <= Int64(Int32.max) else { return Status.invalid.rawValue }
            extents.append(Int(e))
        }
        func storage(_ dims: Dims, _ dt: DType) throws -> Tensor {
            try Tensor(dims: dims, dtype: dt, pool: context.pool, zeroed: false)
        }
        let held: HeldMessage
        do {
            switch UInt32(bitPattern: kind) {
            case HORUS_KIND_IMAGE.rawValue:
                guard ndim == 2, let e = UInt8(exactly: encoding).flatMap(ImageEncoding.init(rawValue:)) else { return Status.invalid.rawValue }
                let t = try storage([extents[0], extents[1], e.channels], e.dtype)
                held = .image(try Image(descriptor: Descriptor(tensor: t, kind: .image, encoding: e.rawValue, timestampNs: 0, frameID: "")))
            case HORUS_KIND_DEPTH_IMAGE.rawValue:
                guard ndim == 2, let u = UInt8(exactly: encoding).flatMap(DepthUnit.init(rawValue:)) else { return Status.invalid.rawValue }
                let t = try storage(extents, u.dtype)
                held = .depth(try DepthImage(descriptor: Descriptor(tensor: t, kind: .depthImage, encoding: u.rawValue, timestampNs: 0, frameID: "")))
            case HORUS_KIND_POINT_CLOUD.rawValue:
                guard ndim == 1, let f = UInt8(exactly: encoding).flatMap(PointFormat.init(rawValue:)) else { return Status.invalid.rawValue }
                let t = try storage([extents[0], f.fieldCount], .float32)
                held = .cloud(PointCloud(tensor: t, format: f))
            case HORUS_KIND_TENSOR.rawValue:
                guard let dt = UInt8(exactly: dtype).flatMap(DType.init(rawValue:)) else { return Status.invalid.rawValue }
                held = .tensor(try storage(extents, dt))
            default:
                return Status.invalid.rawValue
            }
        } catch {
            node.lastError = "alloc failed: \(context.census.describe(error))"
            return Status.noMemory.rawValue
        }
        guard let handle = node.hold(held) else { return Status.noMemory.rawValue }
        fill(out, handle: handle, held)
        return Status.ok.rawValue
    }

    static func publish(_ host: UnsafePointer<horus_host_t>?, _ port: Int32, _ msg: UnsafePointer<horus_message_t>?) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        guard let msg, port >= 0, Int(port) < node.ports.count,
              case .output(let kind, let bound) = node.ports[Int(port)] else { return Status.invalid.rawValue }
        guard let held = node.handles.get(msg.pointee.handle) else { return Status.badHandle.rawValue }
        guard held.kind == kind else { return Status.type.rawValue }
        guard let bound else { return Status.ok.rawValue }  // unwired output: dropped
        let t = msg.pointee.timestamp_ns
        do {
            switch (bound, held) {
            case (.image(let p), .image(var m)):
                m.timestampNs = t
                m.frameID = frameID(msg)
                try p.publish(m)
            case (.depth(let p), .depth(var m)):
                m.timestampNs = t
                m.frameID = frameID(msg)
                try p.publish(m)
            case (.cloud(let p), .cloud(var m)):
                m.timestampNs = t
                m.frameID = frameID(msg)
                try p.publish(m)
            case (.tensor(let p), .tensor(var m)):
                if node.library.abiMinor >= 1 {  // ABI 1.0 published tensors unstamped
                    m.timestampNs = t
                    m.frameID = frameID(msg)
                }
                try p.publish(m)
            case (.plain, _):
                node.lastError = "port \(port) carries a struct message: use publish_struct"
                return Status.type.rawValue
            default:
                return Status.type.rawValue
            }
        } catch {
            node.lastError = "publish on '\(node.spec.ports[Int(port)].name)' failed: \(error)"
            return Status.publish.rawValue
        }
        return Status.ok.rawValue
    }

    static func release(_ host: UnsafePointer<horus_host_t>?, _ handle: UInt64) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        return node.drop(handle) ? Status.ok.rawValue : Status.badHandle.rawValue
    }

    static func log(_ host: UnsafePointer<horus_host_t>?, _ level: Int32, _ message: UnsafePointer<CChar>?) {
        guard let node = node(host), let context = node.context, let message else { return }
        let prefix: String
        switch level {
        case Int32(HORUS_LOG_DEBUG.rawValue): prefix = "debug: "
        case Int32(HORUS_LOG_WARN.rawValue): prefix = "warning: "
        case Int32(HORUS_LOG_ERROR.rawValue): prefix = "error: "
        default: prefix = ""
        }
        context.log(prefix + String(cString: message))
    }

    // MARK: Helpers

    /// The frame id the plugin wrote (bounded: at most the 24-byte field, NUL or not).
    static func frameID(_ msg: UnsafePointer<horus_message_t>) -> String {
        withUnsafeBytes(of: msg.pointee.frame_id) { b in
            if b[0] == 0 { return "" }
            let end = b.firstIndex(of: 0) ?? (b.count - 1)
            return String(decoding: b[..<end], as: UTF8.self)
        }
    }

    /// Writes the plugin's view of `held` into `out`.
    static func fill(_ out: UnsafeMutablePointer<horus_message_t>, handle: UInt64, _ held: HeldMessage) {
        let t = held.tensor
        let d = held.descriptor.raw
        var m = horus_message_t()
        m.handle = handle
        m.kind = d.kind
        m.dtype = d.dtype
        m.encoding = d.encoding
        m.ndim = d.ndim
        m.flags = t.isReadOnly ? UInt32(HORUS_MESSAGE_READ_ONLY) : 0
        m.data = t.baseAddress
        m.byte_length = UInt64(t.storage.byteCount - t.byteOffset)
        withUnsafeMutableBytes(of: &m.shape) { s in
            withUnsafeMutableBytes(of: &m.strides) { st in
                for i in 0..<t.ndim {
                    s.storeBytes(of: Int64(t.shape[i]), toByteOffset: i * 8, as: Int64.self)
                    st.storeBytes(of: Int64(t.strides[i]), toByteOffset: i * 8, as: Int64.self)
                }
            }
        }
        m.timestamp_ns = d.timestamp_ns
        m.frame_id = d.frame_id
        m.descriptor = d
        out.pointee = m
    }
}
