import CHorus
import HorusGraph
#if canImport(Glibc)
import Glibc
#endif

/// ABI 1.1: the version word and the struct message types a plugin declares.
extension PluginTableReader {
    static let maxStructTypes: UInt32 = 256

    /// The minor revision in `abi_version` (major 1 in the low 16 bits), or a failure for an
    /// unknown major or a newer minor than this host implements.
    static func minorVersion(_ abi: UInt32) throws -> UInt32 {
        let major = abi & 0xFFFF, minor = abi >> 16
        guard major == HORUS_PLUGIN_ABI_VERSION, minor <= HORUS_PLUGIN_ABI_MINOR else {
            throw Failure(reason: "plugin ABI version \(major).\(minor) is not supported: this host implements plugin ABI \(HORUS_PLUGIN_ABI_VERSION).0 to \(HORUS_PLUGIN_ABI_VERSION).\(HORUS_PLUGIN_ABI_MINOR) (rebuild the plugin against this horus_plugin.h)")
        }
        return minor
    }

    /// The struct types of an ABI 1.1 plugin, checked against this host's types of the same
    /// name (`MessageTypeCatalog.plainStruct`): each must exist and have the same size.
    static func structTypes(_ plugin: UnsafePointer<horus_plugin_t>) throws -> [String: Int] {
        let p = plugin.pointee
        guard p.struct_type_count <= maxStructTypes else {
            throw Failure(reason: "struct_type_count \(p.struct_type_count) exceeds the limit of \(maxStructTypes)")
        }
        guard p.struct_type_count > 0 else { return [:] }
        guard let defs = p.struct_types else { throw Failure(reason: "struct_types is NULL but struct_type_count is \(p.struct_type_count)") }
        var out: [String: Int] = [:]
        for i in 0..<Int(p.struct_type_count) {
            let d = defs[i]
            let name = try string(d.name, "struct_types[\(i)].name")!
            let at = "struct message type '\(name)'"
            guard !name.isEmpty, supportedMessageTypes[name] == nil else {
                throw Failure(reason: "struct_types[\(i)]: '\(name)' cannot name a struct type")
            }
            _ = try string(d.doc, "\(at): doc", required: false)
            guard d.size >= 1, d.size <= UInt64(HORUS_STRUCT_MAX_SIZE) else {
                throw Failure(reason: "\(at): size \(d.size) is not in 1...\(HORUS_STRUCT_MAX_SIZE)")
            }
            guard out[name] == nil else { throw Failure(reason: "duplicate \(at) (struct_types[\(i)])") }
            guard let host = MessageTypeCatalog.shared.plainStruct(name) else {
                throw Failure(reason: "\(at) (\(d.size) bytes) is not known to this host; known struct types: \(knownStructs())")
            }
            guard host.size == Int(d.size) else {
                throw Failure(reason: "\(at): the plugin declares \(d.size) bytes but the host's '\(name)' has \(host.size) bytes (rebuild the plugin against the current header)")
            }
            out[name] = Int(d.size)
        }
        return out
    }

    private static func knownStructs() -> String {
        let names = MessageTypeCatalog.shared.names.filter { MessageTypeCatalog.shared.plainStruct($0) != nil }
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
