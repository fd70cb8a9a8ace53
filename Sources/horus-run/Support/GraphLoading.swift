import Foundation
import HorusGraph
import HorusNodes
import HorusPlugins

/// The node catalog and plugin resolver every command validates against.
enum NodeEnvironment {
    /// Built-in nodes, plus every node type of the plugin libraries listed in `HORUS_PLUGINS`
    /// (colon-separated paths): those types are used by name in graphs, like built-in ones.
    static func catalog() throws -> NodeCatalog {
        var catalog = try BuiltinNodes.catalog()
        catalog.pluginNodeFactory = { path, type in try PluginLibrary.load(path: path).makeNode(type: type) }
        let preloaded = ProcessInfo.processInfo.environment["HORUS_PLUGINS"] ?? ""
        for path in preloaded.split(separator: ":").map(String.init) where !path.isEmpty {
            do { try catalog.register(plugin: PluginLibrary.load(path: path)) } catch {
                throw PreloadError(description: "HORUS_PLUGINS: \(error)")
            }
        }
        return catalog
    }

    struct PreloadError: Error, CustomStringConvertible { let description: String }

    /// Resolves `plugin:` nodes with dlopen (absolute path, relative to the graph file, or
    /// on HORUS_PLUGIN_PATH).
    static func pluginResolver() -> PluginResolver? {
        DlopenPluginResolver()
    }
}

/// A graph file loaded and validated, with its source text for diagnostics.
struct LoadedGraph {
    var path: String
    var sourceText: String?
    var report: ValidationReport
    var catalog: NodeCatalog

    /// Loads and validates `path`. Never touches shared memory.
    static func load(_ path: String) throws -> LoadedGraph {
        let catalog = try NodeEnvironment.catalog()
        let report = GraphLoader.loadAndValidate(path: path, registry: catalog.registry,
                                                 pluginResolver: NodeEnvironment.pluginResolver(),
                                                 bridgeRules: GraphBridge.rules)
        let text = try? String(contentsOfFile: path, encoding: .utf8)
        return LoadedGraph(path: path, sourceText: text, report: report, catalog: catalog)
    }

    /// Prints every diagnostic (with source snippets) to stderr.
    func printDiagnostics() {
        let text = report.formatted(sourceText: sourceText)
        if !text.isEmpty { Console.err(text) }
    }

    /// The validated graph, or prints the diagnostics and throws exit code 1.
    func requireGraph() throws -> ValidatedGraph {
        printDiagnostics()
        guard let graph = report.graph, !report.hasErrors else {
            Console.errLine("\(path): \(report.errors.count) error\(report.errors.count == 1 ? "" : "s"); not running")
            throw ExitCodeError.validation
        }
        return graph
    }
}

/// Exit codes of horus-run.
enum ExitCodeError: Error {
    /// Graph did not validate (1).
    case validation
    /// A node failed to be created, configured or started (2).
    case nodeFailed
    /// A topic could not be found or opened (1).
    case topic(String)
    /// An isolated node with restart policy `never` failed (3).
    case isolatedNodeFailed
    /// A node ticked and every one of its ticks failed (4).
    case everyTickFailed
}

import ArgumentParser

extension ExitCodeError {
    var exitCode: ExitCode {
        switch self {
        case .validation: return ExitCode(1)
        case .nodeFailed: return ExitCode(2)
        case .topic: return ExitCode(1)
        case .isolatedNodeFailed: return ExitCode(3)
        case .everyTickFailed: return ExitCode(4)
        }
    }
}

/// Turns our errors into exit codes (ArgumentParser prints `Error: ...` for others).
func withExitCodes(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCodeError {
        if case .topic(let message) = e { Console.errLine("horus-run: \(message)") }
        throw e.exitCode
    }
}
