import ArgumentParser
import Foundation

/// `horus-run new-plugin NAME --lang c|swift [DIR]`: scaffolds a plugin project.
struct NewPluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-plugin",
        abstract: "Create a plugin project (C or Swift) that builds with one command, with a sample graph and a test.",
        discussion: """
        Writes DIR/NAME (DIR defaults to the current directory): the plugin source, a Makefile \
        (C: `make`) or a Package.swift (Swift: `swift build`, depending only on HorusPluginKit), \
        graph.yaml (camera_sim -> the plugin) and test.sh (builds, checks and runs the graph). \
        The horus checkout (headers, plugin kit) is found from this executable's location, or \
        given with --horus.
        """
    )

    @Argument(help: "Plugin and node type name (an identifier, e.g. brighten).")
    var name: String

    @Option(help: "Language: c or swift.")
    var lang: String

    @Argument(help: "Parent directory of the new project (default: the current directory).")
    var directory: String = "."

    @Option(help: "The horus checkout to build against (default: found from this executable).")
    var horus: String?

    func run() throws {
        guard let language = PluginScaffold.Language(rawValue: lang.lowercased()) else {
            Console.errLine("horus-run new-plugin: --lang must be c or swift, got '\(lang)'")
            throw ExitCode(1)
        }
        if let problem = PluginScaffold.problem(with: name) {
            Console.errLine("horus-run new-plugin: \(problem)")
            throw ExitCode(1)
        }
        guard let root = horus.map(absolute) ?? Self.findHorusRoot() else {
            Console.errLine("horus-run new-plugin: cannot find the horus checkout (Sources/CHorus/include/horus_plugin.h) above \(Self.executable); pass --horus DIR")
            throw ExitCode(1)
        }
        guard FileManager.default.fileExists(atPath: root + "/Sources/CHorus/include/horus_plugin.h") else {
            Console.errLine("horus-run new-plugin: '\(root)' is not a horus checkout (no Sources/CHorus/include/horus_plugin.h)")
            throw ExitCode(1)
        }
        let project = absolute(directory) + "/" + name
        if FileManager.default.fileExists(atPath: project) {
            Console.errLine("horus-run new-plugin: '\(project)' already exists; not overwriting it")
            throw ExitCode(1)
        }
        let scaffold = PluginScaffold(name: name, language: language, horusRoot: root, horusRun: Self.executable)
        for file in scaffold.files {
            let path = project + "/" + file.path
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            if file.executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        }
        Console.out("created \(project) (\(language == .c ? "C" : "Swift") plugin '\(scaffold.typeName)')")
        Console.out("  cd \(project) && ./test.sh     # builds \(scaffold.libraryName), checks and runs graph.yaml")
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/")).standardizedFileURL.path
    }

    static var executable: String {
        URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// The nearest directory above this executable holding horus's plugin header and Package.swift.
    static func findHorusRoot() -> String? {
        var dir = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.path + "/Sources/CHorus/include/horus_plugin.h"),
               FileManager.default.fileExists(atPath: dir.path + "/Package.swift") { return dir.path }
            dir.deleteLastPathComponent()
        }
        return nil
    }
}
