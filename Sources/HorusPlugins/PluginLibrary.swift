import CHorus
import Foundation
import HorusGraph
#if canImport(Glibc)
import Glibc
import HorusSystem
#endif

/// A loaded plugin shared library and the node types it exports.
///
/// Loading: `dlopen(RTLD_NOW | RTLD_LOCAL)`, `dlsym("horus_plugin_entry")`, one call of the
/// entry, an ABI version check, then validation of every table (see `horus_plugin.h`).
/// Libraries are never unloaded: code of a plugin may still be referenced by nodes, and
/// unloading Swift or C++ libraries is not reliable. Loading the same file twice returns
/// the same `PluginLibrary`.
public final class PluginLibrary: @unchecked Sendable {
    /// The path the library was loaded from (as given).
    public let path: String
    /// The plugin's name (`horus_plugin_t.name`).
    public let name: String
    /// The plugin's version string, if it sets one.
    public let version: String?
    /// The node types the plugin exports, in declaration order.
    public let nodeTypes: [NodeTypeSpec]
    /// The plugin ABI minor version the plugin was built for (0 = ABI 1.0, 1 = ABI 1.1).
    public let abiMinor: UInt32

    /// The validated C declaration of each node type, by name (tables have static storage).
    let vtables: [String: UnsafePointer<horus_node_type_t>]
    private let handle: UnsafeMutableRawPointer

    private init(path: String, name: String, version: String?, nodeTypes: [NodeTypeSpec], abiMinor: UInt32,
                 vtables: [String: UnsafePointer<horus_node_type_t>], handle: UnsafeMutableRawPointer) {
        self.path = path
        self.abiMinor = abiMinor
        self.name = name
        self.version = version
        self.nodeTypes = nodeTypes
        self.vtables = vtables
        self.handle = handle
    }

    private static let cacheLock = Mutex()
    nonisolated(unsafe) private static var cache: [String: PluginLibrary] = [:]

    /// Loads the plugin at `path` (an existing file; no search is done here). A relative path
    /// is made absolute against the current directory first, so `dlopen` never searches the
    /// system library path for a bare name.
    public static func load(path given: String) throws -> PluginLibrary {
        let path = PluginSearchPath.absolute(given, in: FileManager.default.currentDirectoryPath)
        func fail(_ reason: String) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }
        guard FileManager.default.fileExists(atPath: path) else { throw fail("no such library") }
        let key = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let lib = cache[key] { return lib }

        _ = dlerror()  // clear any stale error text
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw fail("dlopen failed: " + (dlerror().map { String(cString: $0) } ?? "unknown error"))
        }
        // From here the handle is kept even on failure: dlclose of a library whose
        // initializers ran is not reliably safe (Swift, C++ runtimes).
        _ = dlerror()
        guard let sym = dlsym(handle, HORUS_PLUGIN_ENTRY_SYMBOL) else {
            let detail = dlerror().map { String(cString: $0) } ?? ""
            throw fail("not a horus plugin: missing entry symbol '\(HORUS_PLUGIN_ENTRY_SYMBOL)'" + (detail.isEmpty ? "" : " (\(detail))"))
        }
        // SAFETY: the symbol is declared by the ABI as `const horus_plugin_t *(void)`.
        let entry = unsafeBitCast(sym, to: horus_plugin_entry_fn.self)
        guard let table = entry() else { throw fail("\(HORUS_PLUGIN_ENTRY_SYMBOL)() returned NULL") }
        // abi_version is the first field in every ABI version: safe to read before anything else.
        let minor: UInt32
        do { minor = try PluginTableReader.minorVersion(table.pointee.abi_version) } catch let f as PluginTableReader.Failure {
            throw fail(f.reason)
        }
        let types: [(spec: NodeTypeSpec, type: UnsafePointer<horus_node_type_t>)]
        let name: String, version: String?
        do {
            name = try PluginTableReader.string(table.pointee.name, "plugin name")!
            version = try PluginTableReader.string(table.pointee.version, "plugin version", required: false)
            // The 1.1 fields exist only in tables of plugins that declare minor >= 1.
            let structs = minor >= 1 ? try PluginTableReader.structTypes(table) : [:]
            types = try PluginTableReader.nodeTypes(table, structs: structs)
        } catch let f as PluginTableReader.Failure {
            throw fail("invalid plugin table: \(f.reason)")
        }
        let lib = PluginLibrary(path: path, name: name, version: version, nodeTypes: types.map(\.spec), abiMinor: minor,
                                vtables: Dictionary(uniqueKeysWithValues: types.map { ($0.spec.name, $0.type) }),
                                handle: handle)
        cache[key] = lib
        return lib
    }

    /// The declaration of node type `name`, if the plugin exports it.
    public func nodeType(_ name: String) -> NodeTypeSpec? { nodeTypes.first { $0.name == name } }

    /// A new (unconfigured) node of type `typeName`; the plugin instance is created in `configure`.
    public func makeNode(type typeName: String) throws -> PluginNode {
        guard let vt = vtables[typeName], let spec = nodeType(typeName) else {
            throw PluginLoadError(path: path, reason: "no node type '\(typeName)' (exports \(nodeTypes.map(\.name).joined(separator: ", ")))")
        }
        return PluginNode(library: self, spec: spec, vtable: vt)
    }

    /// A `ResolvedPlugin` for graph validation.
    public var resolved: ResolvedPlugin { ResolvedPlugin(path: path, nodeTypes: nodeTypes) }
}

extension NodeCatalog {
    /// Adds every node type of `plugin` with a factory making `PluginNode`s.
    /// Throws if a name is already in the catalog.
    public mutating func register(plugin: PluginLibrary) throws {
        for spec in plugin.nodeTypes {
            let name = spec.name
            try register(spec) { try plugin.makeNode(type: name) }
        }
    }
}
