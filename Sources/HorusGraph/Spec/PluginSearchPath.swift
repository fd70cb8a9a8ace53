import Foundation

/// The rules for turning a `plugin:` value into candidate library paths:
/// an absolute path is used as is; a relative path is tried relative to the graph file's
/// directory, then under each directory of `HORUS_PLUGIN_PATH` (colon-separated), in order.
public struct PluginSearchPath: Sendable, Hashable {
    /// Directories from `HORUS_PLUGIN_PATH`, in order.
    public var directories: [String]

    /// The environment variable holding the search path.
    public static let environmentVariable = "HORUS_PLUGIN_PATH"

    /// Creates a search path from explicit directories.
    public init(directories: [String]) { self.directories = directories }

    /// Parses a colon-separated list, ignoring empty components.
    public init(parsing value: String?) {
        directories = (value ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }

    /// The search path from this process's `HORUS_PLUGIN_PATH`.
    public static func fromEnvironment() -> PluginSearchPath {
        PluginSearchPath(parsing: ProcessInfo.processInfo.environment[environmentVariable])
    }

    /// Candidate paths for `path`, in the order they should be tried.
    public func candidates(for path: String, graphDirectory: String) -> [String] {
        if path.hasPrefix("/") { return [path] }
        return [join(graphDirectory, path)] + directories.map { join($0, path) }
    }

    /// The first candidate for which `exists` is true, or nil.
    public func resolve(_ path: String, graphDirectory: String,
                        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        candidates(for: path, graphDirectory: graphDirectory).first(where: exists)
    }

    private func join(_ dir: String, _ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        if dir.isEmpty || dir == "." { return p }
        return dir.hasSuffix("/") ? dir + p : dir + "/" + p
    }
}
