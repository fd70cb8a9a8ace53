/// Why a plugin library could not be loaded. `description` names the file.
public struct PluginLoadError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The library path as given to `PluginLibrary.load`.
    public var path: String
    /// What went wrong, e.g. `no such library`, the `dlerror()` text, or the table problem.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `plugin 'path': reason`.
    public var description: String { "plugin '\(path)': \(reason)" }
}
