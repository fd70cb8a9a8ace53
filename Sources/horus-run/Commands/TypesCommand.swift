import ArgumentParser
import Foundation
import HorusGraph
import HorusNodes
import HorusPlugins

/// `horus-run types [TYPE] [--plugin LIB]... [--markdown]`: the node type reference.
struct TypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "types",
        abstract: "Describe node types: ports, params (type, default, range, doc) and trigger.",
        discussion: """
        Without TYPE, describes every built-in node type (or, with --plugin, every type the \
        plugins export). --plugin is resolved like a graph's `plugin:` (absolute; relative to \
        the current directory; HORUS_PLUGIN_PATH; the default plugin directories). \
        --markdown prints the reference as Markdown (docs/nodes.md is generated with it).
        """
    )

    @Argument(help: "A node type name (built-in, or exported by a --plugin).")
    var type: String?

    @Option(name: .customLong("plugin"), help: "A plugin library whose node types to describe (repeatable).")
    var plugins: [String] = []

    @Flag(help: "Print Markdown (the format of docs/nodes.md).")
    var markdown = false

    func run() throws {
        var entries: [(spec: NodeTypeSpec, source: String)] = []
        if plugins.isEmpty || type != nil {
            for spec in try BuiltinNodes.catalog().registry.specs { entries.append((spec, "built-in")) }
        }
        let resolver = DlopenPluginResolver()
        let here = FileManager.default.currentDirectoryPath
        for path in plugins {
            switch resolver.library(plugin: path, graphDirectory: here) {
            case .success(let lib):
                for spec in lib.nodeTypes { entries.append((spec, "plugin \(lib.path)")) }
            case .failure(let e):
                Console.errLine("horus-run types: cannot load plugin '\(path)': \(e)")
                throw ExitCode(1)
            }
        }
        if let type {
            guard let found = entries.first(where: { $0.spec.name == type }) else {
                let names = entries.map(\.spec.name)
                Console.errLine("horus-run types: unknown node type '\(type)'\(NameSuggester.didYouMean(type, from: names)) (known: \(names.joined(separator: ", ")))")
                throw ExitCode(1)
            }
            entries = [found]
        }
        let text: String
        if markdown {
            text = plugins.isEmpty && type == nil ? BuiltinNodes.referenceMarkdown()
                : NodeTypeReference.markdown(entries.map(\.spec), title: "Node types",
                                             intro: "From " + Set(entries.map(\.source)).sorted().joined(separator: ", ") + ".")
        } else {
            text = entries.map { NodeTypeReference.text($0.spec, source: $0.source) }.joined(separator: "\n")
        }
        print(text, terminator: "")
        fflush(stdout)
    }
}
