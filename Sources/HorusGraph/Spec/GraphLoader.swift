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
                                       pluginResolver: PluginResolver? = nil) -> ValidationReport {
        do {
            let spec = try load(path: path)
            return GraphValidator.validate(spec, registry: registry, pluginResolver: pluginResolver)
        } catch let error as GraphLoadError {
            return ValidationReport(diagnostics: [error.diagnostic], graph: nil)
        } catch {
            let loc = SourceLocation(file: path, line: 1, column: 1)
            return ValidationReport(diagnostics: [GraphDiagnostic(.error, at: loc, keyPath: "", "\(error)")], graph: nil)
        }
    }
}
