import Foundation

/// Reads graph files into `GraphSpec`s, keeping the line/column of every key and value.
public enum GraphLoader {
    /// Reads and parses the graph file at `path`.
    /// Throws `GraphLoadError` if the file cannot be read or is not well-formed YAML.
    public static func load(path: String) throws -> GraphSpec {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let loc = SourceLocation(file: path, line: 1, column: 1)
            throw GraphLoadError(diagnostic: GraphDiagnostic(.error, at: loc, keyPath: "",
                                                             "cannot read graph file: \(error.localizedDescription)"))
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses graph YAML; `file` is used in locations and to resolve relative plugin paths.
    /// Throws `GraphLoadError` for YAML syntax errors; structural problems (unknown keys, wrong
    /// shapes) are collected in the returned spec's `diagnostics` instead.
    public static func parse(yaml: String, file: String) throws -> GraphSpec {
        let root = try YAMLTreeReader.read(yaml: yaml, file: file)
        var reader = GraphSpecReader(file: file)
        return reader.read(root: root, text: yaml)
    }

    /// Loads and validates in one step; YAML and I/O errors come back as diagnostics in the report.
    public static func loadAndValidate(path: String, registry: NodeTypeRegistry,
                                       pluginResolver: PluginResolver? = nil,
                                       externalTopics: [String: ExternalTopic] = [:],
                                       bridgeRules: BridgeRules? = nil) -> ValidationReport {
        do {
            let spec = try load(path: path)
            return GraphValidator.validate(spec, registry: registry, pluginResolver: pluginResolver,
                                          externalTopics: externalTopics, bridgeRules: bridgeRules)
        } catch let error as GraphLoadError {
            return ValidationReport(diagnostics: [error.diagnostic], graph: nil)
        } catch {
            let loc = SourceLocation(file: path, line: 1, column: 1)
            return ValidationReport(diagnostics: [GraphDiagnostic(.error, at: loc, keyPath: "", "\(error)")], graph: nil)
        }
    }

    /// Loads and validates `path`; throws `GraphInvalid` carrying every formatted diagnostic.
    public static func loadValidated(path: String, registry: NodeTypeRegistry,
                                     pluginResolver: PluginResolver? = nil,
                                     externalTopics: [String: ExternalTopic] = [:],
                                     bridgeRules: BridgeRules? = nil) throws -> ValidatedGraph {
        let report = loadAndValidate(path: path, registry: registry, pluginResolver: pluginResolver,
                                     externalTopics: externalTopics, bridgeRules: bridgeRules)
        guard !report.hasErrors, let g = report.graph else {
            throw GraphInvalid(path: path, diagnostics: report.formatted(sourceText: try? String(contentsOfFile: path, encoding: .utf8)))
        }
        return g
    }
}

/// A graph file that did not validate; `description` is every diagnostic, formatted.
public struct GraphInvalid: Error, CustomStringConvertible {
    public let path: String
    public let diagnostics: String
    public var description: String { diagnostics }
}
