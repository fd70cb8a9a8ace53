import Foundation
import HorusGraph

/// The real `PluginResolver`: finds a `plugin:` library with `PluginSearchPath` (absolute
/// path; relative to the graph file's directory; each `HORUS_PLUGIN_PATH` directory) and
/// loads it with `PluginLibrary.load` (dlopen). Failures name the file.
public struct DlopenPluginResolver: PluginResolver, Sendable {
    /// The search rules for relative paths.
    public var searchPath: PluginSearchPath

    /// A resolver using `searchPath` (default: `HORUS_PLUGIN_PATH` of this process).
    public init(searchPath: PluginSearchPath = .fromEnvironment()) {
        self.searchPath = searchPath
    }

    /// Finds and loads the library; the loaded `PluginLibrary` is also available through
    /// `library(plugin:graphDirectory:)` (loads are cached per file).
    public func resolve(plugin path: String, graphDirectory: String, at location: SourceLocation)
        -> Result<ResolvedPlugin, PluginResolutionError> {
        switch library(plugin: path, graphDirectory: graphDirectory) {
        case .success(let lib): return .success(lib.resolved)
        case .failure(let e): return .failure(e)
        }
    }

    /// The loaded library for a `plugin:` value.
    public func library(plugin path: String, graphDirectory: String) -> Result<PluginLibrary, PluginResolutionError> {
        let candidates = searchPath.candidates(for: path, graphDirectory: graphDirectory)
        guard let found = searchPath.resolve(path, graphDirectory: graphDirectory) else {
            return .failure(PluginResolutionError("no such library", triedPaths: candidates))
        }
        do {
            return .success(try PluginLibrary.load(path: found))
        } catch let e as PluginLoadError {
            return .failure(PluginResolutionError("'\(found)': \(e.reason)"))
        } catch {
            return .failure(PluginResolutionError("'\(found)': \(error)"))
        }
    }
}
