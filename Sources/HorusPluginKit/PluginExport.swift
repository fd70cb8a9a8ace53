import CHorus
#if canImport(Glibc)
import Glibc
#endif

/// Builds the `horus_plugin_t` table for Swift node types. A Swift plugin is:
///
///     let plugin = HorusPluginExport(name: "my_plugin", nodeTypes: [MyNode.self])
///     @_cdecl("horus_plugin_entry") public func horusPluginEntry() -> UnsafeRawPointer { plugin.entry }
///
/// The tables (and their strings) are allocated once and never freed: the ABI requires
/// them to live as long as the library is loaded.
public final class HorusPluginExport: @unchecked Sendable {
    /// The table to return from `horus_plugin_entry`.
    public let table: UnsafePointer<horus_plugin_t>
    /// `table` as an untyped pointer (convenient as the `@_cdecl` return type).
    public var entry: UnsafeRawPointer { UnsafeRawPointer(table) }

    /// `structTypes`: the struct message types the ports may carry (see `PluginStructType`).
    public init(name: String, version: String? = nil, nodeTypes: [any PluginNodeType.Type], structTypes: [PluginStructType] = []) {
        func cstr(_ s: String) -> UnsafePointer<CChar> { UnsafePointer(strdup(s)!) }
        func cstrOrNil(_ s: String) -> UnsafePointer<CChar>? { s.isEmpty ? nil : cstr(s) }
        let types = UnsafeMutablePointer<horus_node_type_t>.allocate(capacity: nodeTypes.count)
        for (i, T) in nodeTypes.enumerated() {
            var t = horus_node_type_t()
            t.name = cstr(T.typeName)
            t.doc = cstrOrNil(T.doc)
            let ports = UnsafeMutablePointer<horus_port_def_t>.allocate(capacity: Swift.max(T.ports.count, 1))
            for (k, p) in T.ports.enumerated() {
                var d = horus_port_def_t()
                d.name = cstr(p.name)
                d.direction = Int32(p.isInput ? HORUS_PORT_INPUT.rawValue : HORUS_PORT_OUTPUT.rawValue)
                d.optional = p.optional ? 1 : 0
                d.message_type = cstr(p.messageType.rawValue)
                d.doc = cstrOrNil(p.doc)
                (ports + k).initialize(to: d)
            }
            t.port_count = UInt32(T.ports.count)
            t.ports = UnsafePointer(ports)
            let params = UnsafeMutablePointer<horus_param_def_t>.allocate(capacity: Swift.max(T.params.count, 1))
            for (k, p) in T.params.enumerated() {
                var d = horus_param_def_t()
                d.name = cstr(p.name)
                d.doc = cstrOrNil(p.doc)
                var flags: UInt32 = 0
                switch p.kind {
                case .int(let v):
                    d.type = Int32(HORUS_PARAM_INT.rawValue)
                    if let v { d.default_value.i = Int64(v); flags |= UInt32(HORUS_PARAM_HAS_DEFAULT) }
                case .double(let v):
                    d.type = Int32(HORUS_PARAM_DOUBLE.rawValue)
                    if let v { d.default_value.d = v; flags |= UInt32(HORUS_PARAM_HAS_DEFAULT) }
                case .bool(let v):
                    d.type = Int32(HORUS_PARAM_BOOL.rawValue)
                    if let v { d.default_value.b = v ? 1 : 0; flags |= UInt32(HORUS_PARAM_HAS_DEFAULT) }
                case .string(let v):
                    d.type = Int32(HORUS_PARAM_STRING.rawValue)
                    if let v { d.default_value.s = cstr(v); flags |= UInt32(HORUS_PARAM_HAS_DEFAULT) }
                }
                if let lo = p.min { d.min = lo; flags |= UInt32(HORUS_PARAM_HAS_MIN) }
                if let hi = p.max { d.max = hi; flags |= UInt32(HORUS_PARAM_HAS_MAX) }
                d.flags = flags
                (params + k).initialize(to: d)
            }
            t.param_count = UInt32(T.params.count)
            t.params = UnsafePointer(params)
            switch T.defaultTrigger {
            case .rate(let hz)?: t.default_rate_hz = hz
            case .input(let port)?: t.default_trigger_input = cstr(port)
            case nil: break
            }
            t.user_data = Unmanaged.passRetained(TypeBox(T)).toOpaque()
            t.create = pluginKitCreate
            t.configure = { inst, host in pluginKitCall(inst, host) { try $0.configure($1) } }
            t.start = { inst, host in pluginKitCall(inst, host) { try $0.start($1) } }
            t.tick = { inst, host in pluginKitCall(inst, host) { try $0.tick($1) } }
            t.stop = { inst, host in _ = pluginKitCall(inst, host) { n, h in n.stop(h) } }
            t.destroy = { inst in
                guard let inst else { return }
                Unmanaged<InstanceBox>.fromOpaque(inst).release()
            }
            (types + i).initialize(to: t)
        }
        let structs = UnsafeMutablePointer<horus_struct_type_def_t>.allocate(capacity: Swift.max(structTypes.count, 1))
        for (k, st) in structTypes.enumerated() {
            (structs + k).initialize(to: horus_struct_type_def_t(name: cstr(st.name), size: UInt64(max(st.size, 0)), doc: cstrOrNil(st.doc)))
        }
        let p = UnsafeMutablePointer<horus_plugin_t>.allocate(capacity: 1)
        // An ABI 1.1 table: struct types, and tensors keep their timestamp and frame id.
        p.initialize(to: horus_plugin_t(abi_version: HORUS_PLUGIN_ABI_VERSION | (HORUS_PLUGIN_ABI_MINOR << 16), node_type_count: UInt32(nodeTypes.count),
                                        name: cstr(name), version: version.map(cstr), node_types: UnsafePointer(types),
                                        struct_type_count: UInt32(structTypes.count), struct_types: UnsafePointer(structs)))
        table = UnsafePointer(p)
    }
}

final class TypeBox {
    let type: any PluginNodeType.Type
    init(_ type: any PluginNodeType.Type) { self.type = type }
}

final class InstanceBox {
    let node: any PluginNodeType
    init(_ node: any PluginNodeType) { self.node = node }
}

private func report(_ host: UnsafePointer<horus_host_t>, _ error: Error) -> Int32 {
    host.pointee.set_error(host, "\(error)")
    return (error as? PluginError)?.status ?? HORUS_ERR_FAILED.rawValue
}

private let pluginKitCreate: @convention(c) (UnsafePointer<horus_node_type_t>?, UnsafePointer<horus_host_t>?) -> UnsafeMutableRawPointer? = { type, host in
    guard let type, let host, let ud = type.pointee.user_data else { return nil }
    let box = Unmanaged<TypeBox>.fromOpaque(ud).takeUnretainedValue()
    do {
        let node = try box.type.init(host: PluginHost(host))
        return Unmanaged.passRetained(InstanceBox(node)).toOpaque()
    } catch {
        _ = report(host, error)
        return nil
    }
}

@inline(__always)
private func pluginKitCall(_ inst: UnsafeMutableRawPointer?, _ host: UnsafePointer<horus_host_t>?,
                           _ body: (any PluginNodeType, PluginHost) throws -> Void) -> Int32 {
    guard let inst, let host else { return HORUS_ERR_INVALID.rawValue }
    let box = Unmanaged<InstanceBox>.fromOpaque(inst).takeUnretainedValue()
    do {
        try body(box.node, PluginHost(host))
        return HORUS_OK.rawValue
    } catch {
        return report(host, error)
    }
}
