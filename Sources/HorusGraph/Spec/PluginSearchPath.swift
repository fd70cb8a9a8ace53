import Foundation

/// The rules for turning a `plugin:` value into candidate library paths.
///
/// An absolute path is used as is. A relative path is tried, in order: relative to the graph
/// file's directory; under each `HORUS_PLUGIN_PATH` directory (colon-separated; `.` and other
/// relative entries mean the current directory, made absolute); then under the default
/// directories (per-user `~/.local/lib/horus/plugins`, per-install `<bin>/../lib/horus/plugins`).
/// Every candidate is an absolute path, so `dlopen` is never handed a bare name that would make
/// it search the system library path.
public struct PluginSearchPath: Sendable, Hashable {
    /// Directories from `HORUS_PLUGIN_PATH`, in order, made absolute.
    public var directories: [String]
    /// Directories tried after `directories` (the per-user and per-install defaults), absolute.
    public var defaultDirectories: [String]
    /// The directory relative graph directories and search entries are resolved against.
    public var currentDirectory: String

    /// The environment variable holding the search path.
    public static let environmentVariable = "HORUS_PLUGIN_PATH"

    /// Creates a search path from explicit directories (relative ones resolved against
    /// `currentDirectory`, default: this process's working directory).
    public init(directories: [String], defaultDirectories: [String] = [],
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.currentDirectory = currentDirectory
        self.directories = directories.map { Self.absolute($0, in: currentDirectory) }
        self.defaultDirectories = defaultDirectories.map { Self.absolute($0, in: currentDirectory) }
    }

    /// Parses a colon-separated list, ignoring empty components.
    public init(parsing value: String?, defaultDirectories: [String] = [],
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.init(directories: (value ?? "").split(separator: ":").map(String.init),
                  defaultDirectories: defaultDirectories, currentDirectory: currentDirectory)
    }

    /// The search path of this process: its `HORUS_PLUGIN_PATH`, then the default directories.
    public static func fromEnvironment() -> PluginSearchPath {
        let env = ProcessInfo.processInfo.environment
        return PluginSearchPath(parsing: env[environmentVariable],
                                defaultDirectories: standardDirectories(home: env["HOME"],
                                                                        executable: Bundle.main.executablePath))
    }

    /// The per-user (`$HOME/.local/lib/horus/plugins`) and per-install
    /// (`<executable's directory>/../lib/horus/plugins`) plugin directories.
    public static func standardDirectories(home: String?, executable: String?) -> [String] {
        var dirs: [String] = []
        if let home, home.hasPrefix("/") { dirs.append(absolute(".local/lib/horus/plugins", in: home)) }
        if let exe = executable, exe.hasPrefix("/"), let slash = exe.lastIndex(of: "/") {
            let bin = String(exe[..<slash])
            let prefix = bin.hasSuffix("/bin") ? String(bin.dropLast(4)) : bin + "/.."
            dirs.append(absolute("lib/horus/plugins", in: prefix.isEmpty ? "/" : prefix))
        }
        return dirs
    }

    /// Candidate paths for `path`, in the order they should be tried (all absolute).
    public func candidates(for path: String, graphDirectory: String) -> [String] {
        if path.hasPrefix("/") { return [path] }
        let graphDir = Self.absolute(graphDirectory, in: currentDirectory)
        var seen = Set<String>()
        return ([graphDir] + directories + defaultDirectories)
            .map { Self.absolute(path, in: $0) }
            .filter { seen.insert($0).inserted }
    }

    /// The first candidate for which `exists` is true, or nil.
    public func resolve(_ path: String, graphDirectory: String,
                        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        candidates(for: path, graphDirectory: graphDirectory).first(where: exists)
    }

    /// `path` made absolute against `directory` (itself absolute), with `.` components and
    /// repeated slashes removed (`..` is kept: it is meaningful with symlinks).
    public static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory.isEmpty ? "." : directory) + "/" + path
        let parts = joined.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
