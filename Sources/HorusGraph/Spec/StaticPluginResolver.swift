/// A `PluginResolver` over an in-memory table of library paths → node types, for tests and for
/// plugins linked statically. Paths are resolved with `PluginSearchPath` against the table's keys.
public struct StaticPluginResolver: PluginResolver, Sendable {
    /// Library path (as resolved) → exported node types.
    public var libraries: [String: [NodeTypeSpec]]
    /// Search rules used to resolve relative paths.
    public var searchPath: PluginSearchPath

    /// Creates a resolver.
    public init(libraries: [String: [NodeTypeSpec]], searchPath: PluginSearchPath = PluginSearchPath(directories: [])) {
        self.libraries = libraries
        self.searchPath = searchPath
    }

    /// Looks `path` up in `libraries` following the search rules.
    public func resolve(plugin path: String, graphDirectory: String, at location: SourceLocation)
        -> Result<ResolvedPlugin, PluginResolutionError> {
        let candidates = searchPath.candidates(for: path, graphDirectory: graphDirectory)
        guard let found = candidates.first(where: { libraries[$0] != nil }) else {
            return .failure(PluginResolutionError("no such library", triedPaths: candidates))
        }
        return .success(ResolvedPlugin(path: found, nodeTypes: libraries[found] ?? []))
    }
}
