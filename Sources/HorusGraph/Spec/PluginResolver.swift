/// A plugin library found and loaded, with the node types it exports.
public struct ResolvedPlugin: Sendable {
    /// The path actually loaded (after applying the search rules).
    public var path: String
    /// Node types exported by the plugin.
    public var nodeTypes: [NodeTypeSpec]

    /// Creates a resolved plugin.
    public init(path: String, nodeTypes: [NodeTypeSpec]) {
        self.path = path
        self.nodeTypes = nodeTypes
    }
}

/// Finds and loads plugin libraries named by `plugin:` keys and reports their node types.
///
/// The validator calls `resolve` once per distinct plugin path. The real implementation
/// (dlopen + symbol lookup) lives elsewhere; `PluginSearchPath` implements the lookup rules.
public protocol PluginResolver {
    /// Loads `path` as written in the graph, resolved against `graphDirectory` and the search
    /// path. On failure returns `.failure` with a short reason such as `no such library` or
    /// the `dlerror()` text; the validator turns it into an error naming the file.
    func resolve(plugin path: String, graphDirectory: String, at location: SourceLocation)
        -> Result<ResolvedPlugin, PluginResolutionError>
}

/// Why a plugin could not be resolved.
public struct PluginResolutionError: Error, Sendable, CustomStringConvertible {
    /// Reason text (e.g. `no such library`, `dlopen: undefined symbol ...`).
    public var reason: String
    /// Paths that were tried, in order.
    public var triedPaths: [String]

    /// Creates an error.
    public init(_ reason: String, triedPaths: [String] = []) {
        self.reason = reason
        self.triedPaths = triedPaths
    }

    /// The reason, followed by the tried paths when known.
    public var description: String {
        triedPaths.isEmpty ? reason : "\(reason) (tried \(triedPaths.joined(separator: ", ")))"
    }
}
