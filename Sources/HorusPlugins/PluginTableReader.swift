import CHorus
import HorusGraph
#if canImport(Glibc)
import Glibc
#endif

/// Reads and validates the C tables a plugin exports (`horus_plugin_t`) into node type
/// declarations. The tables come from foreign code: every pointer is checked for NULL,
/// every count against a limit and every string for termination before use.
enum PluginTableReader {
    static let maxNodeTypes: UInt32 = 1024
    static let maxPorts: UInt32 = 256
    static let maxParams: UInt32 = 256
    static let maxString = 4096

    /// Message types a plugin port may carry in ABI 1 (the pool-backed types).
    static let supportedMessageTypes: [String: horus_kind] = [
        "Image": HORUS_KIND_IMAGE, "DepthImage": HORUS_KIND_DEPTH_IMAGE,
        "PointCloud": HORUS_KIND_POINT_CLOUD, "Tensor": HORUS_KIND_TENSOR,
    ]

    struct Failure: Error { let reason: String }

    /// A NUL-terminated string of at most `maxString` bytes, or a failure naming `what`.
    static func string(_ p: UnsafePointer<CChar>?, _ what: String, required: Bool = true) throws -> String? {
        guard let p else {
            if required { throw Failure(reason: "\(what) is NULL") }
            return nil
        }
        let n = strnlen(p, maxString)
        guard n < maxString else { throw Failure(reason: "\(what) is not NUL-terminated within \(maxString) bytes") }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// The node types declared by `plugin` (ABI version already checked), in order; `structs`
    /// are the struct message types it declares (ABI 1.1), by name.
    static func nodeTypes(_ plugin: UnsafePointer<horus_plugin_t>, structs: [String: Int] = [:]) throws -> [(spec: NodeTypeSpec, type: UnsafePointer<horus_node_type_t>)] {
        let p = plugin.pointee
        _ = try string(p.name, "plugin name")
        _ = try string(p.version, "plugin version", required: false)
        guard p.node_type_count >= 1 else { throw Failure(reason: "node_type_count is 0 (a plugin exports at least one node type)") }
        guard p.node_type_count <= maxNodeTypes else {
            throw Failure(reason: "node_type_count \(p.node_type_count) exceeds the limit of \(maxNodeTypes)")
        }
        guard let types = p.node_types else { throw Failure(reason: "node_types is NULL but node_type_count is \(p.node_type_count)") }
        var out: [(NodeTypeSpec, UnsafePointer<horus_node_type_t>)] = []
        var seen = Set<String>()
        for i in 0..<Int(p.node_type_count) {
            let t = types + i
            let spec = try nodeType(t.pointee, index: i, structs: structs)
            guard seen.insert(spec.name).inserted else {
                throw Failure(reason: "duplicate node type name '\(spec.name)' (node_types[\(i)])")
            }
            out.append((spec, t))
        }
        return out
    }

    static func nodeType(_ t: horus_node_type_t, index i: Int, structs: [String: Int] = [:]) throws -> NodeTypeSpec {
        let name = try string(t.name, "node_types[\(i)].name")!
        let at = "node type '\(name)'"
        guard !name.isEmpty else { throw Failure(reason: "node_types[\(i)].name is empty") }
        let doc = try string(t.doc, "\(at): doc", required: false) ?? ""
        guard t.create != nil else { throw Failure(reason: "\(at): create callback is NULL") }
        guard t.tick != nil else { throw Failure(reason: "\(at): tick callback is NULL") }
        guard t.destroy != nil else { throw Failure(reason: "\(at): destroy callback is NULL") }

        guard t.port_count <= maxPorts else { throw Failure(reason: "\(at): port_count \(t.port_count) exceeds \(maxPorts)") }
        if t.port_count > 0 && t.ports == nil { throw Failure(reason: "\(at): ports is NULL but port_count is \(t.port_count)") }
        var ports: [PortSpec] = []
        for k in 0..<Int(t.port_count) {
            let d = t.ports![k]
            let pname = try string(d.name, "\(at): ports[\(k)].name")!
            let ptype = try string(d.message_type, "\(at): port '\(pname)' message_type")!
            guard supportedMessageTypes[ptype] != nil || structs[ptype] != nil else {
                let declared = structs.isEmpty ? "" : ", or a struct type it declares (\(structs.keys.sorted().joined(separator: ", ")))"
                throw Failure(reason: "\(at): port '\(pname)' carries '\(ptype)'; a plugin port carries Image, DepthImage, PointCloud, Tensor\(declared)")
            }
            let pdoc = try string(d.doc, "\(at): port '\(pname)' doc", required: false) ?? ""
            switch d.direction {
            case Int32(HORUS_PORT_INPUT.rawValue):
                ports.append(.input(pname, MessageTypeName(stringLiteral: ptype), optional: d.optional != 0, doc: pdoc))
            case Int32(HORUS_PORT_OUTPUT.rawValue):
                ports.append(.output(pname, MessageTypeName(stringLiteral: ptype), doc: pdoc))
            default:
                throw Failure(reason: "\(at): port '\(pname)' has direction \(d.direction) (expected 0 input or 1 output)")
            }
        }

        guard t.param_count <= maxParams else { throw Failure(reason: "\(at): param_count \(t.param_count) exceeds \(maxParams)") }
        if t.param_count > 0 && t.params == nil { throw Failure(reason: "\(at): params is NULL but param_count is \(t.param_count)") }
        var params: [ParamSpec] = []
        for k in 0..<Int(t.param_count) {
            params.append(try param(t.params![k], at: "\(at): params[\(k)]"))
        }

        var trigger: NodeTrigger?
        if t.default_rate_hz > 0 {
            guard t.default_rate_hz.isFinite else { throw Failure(reason: "\(at): default_rate_hz is not finite") }
            trigger = .periodic(hz: t.default_rate_hz)
        } else if let input = try string(t.default_trigger_input, "\(at): default_trigger_input", required: false) {
            trigger = .input(input)
        }
        let spec = NodeTypeSpec(name: name, doc: doc, ports: ports, params: params, defaultTrigger: trigger)
        let problems = spec.problems()
        guard problems.isEmpty else { throw Failure(reason: "\(at): " + problems.joined(separator: "; ")) }
        return spec
    }

    static func param(_ d: horus_param_def_t, at: String) throws -> ParamSpec {
        let name = try string(d.name, "\(at).name")!
        let here = at + " '\(name)'"
        let doc = try string(d.doc, "\(here) doc", required: false) ?? ""
        let known = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX
        guard d.flags & ~UInt32(known) == 0 else { throw Failure(reason: "\(here): unknown flag bits 0x\(String(d.flags, radix: 16))") }
        let hasDefault = d.flags & UInt32(HORUS_PARAM_HAS_DEFAULT) != 0
        var lo = d.flags & UInt32(HORUS_PARAM_HAS_MIN) != 0 ? d.min : nil
        var hi = d.flags & UInt32(HORUS_PARAM_HAS_MAX) != 0 ? d.max : nil
        let type: ParamType
        var value: ParamValue?
        switch d.type {
        case Int32(HORUS_PARAM_INT.rawValue):
            type = .int
            if hasDefault { value = .int(Int(d.default_value.i)) }
        case Int32(HORUS_PARAM_DOUBLE.rawValue):
            type = .double
            if hasDefault {
                guard d.default_value.d.isFinite else { throw Failure(reason: "\(here): default is not finite") }
                value = .double(d.default_value.d)
            }
        case Int32(HORUS_PARAM_BOOL.rawValue):
            type = .bool
            if hasDefault { value = .bool(d.default_value.b != 0) }
            lo = nil; hi = nil
        case Int32(HORUS_PARAM_STRING.rawValue):
            type = .string
            if hasDefault { value = .string(try string(d.default_value.s, "\(here) default")!) }
            lo = nil; hi = nil
        default:
            throw Failure(reason: "\(here): unknown type \(d.type) (expected 0 int, 1 double, 2 bool, 3 string)")
        }
        if let l = lo, !l.isFinite { throw Failure(reason: "\(here): min is not finite") }
        if let h = hi, !h.isFinite { throw Failure(reason: "\(here): max is not finite") }
        if let l = lo, let h = hi, l > h { throw Failure(reason: "\(here): min \(l) > max \(h)") }
        return ParamSpec(name, type, default: value, min: lo, max: hi, doc: doc)
    }
}
