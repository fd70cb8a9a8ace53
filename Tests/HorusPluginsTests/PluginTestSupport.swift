import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import HorusTestSupport
import HorusTopics
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The repository root.
let repoRoot = repositoryRoot
/// This test process.s scratch directory.
let scratchDir = testScratchDirectory

/// Switches to a per-process shm namespace (`plug<pid>`) so these tests never meet other
/// runs' pools and topics; `restoreNamespace` puts the previous one back (other test targets
/// may share this process). Pools and topics are detached, and removed from /dev/shm, at exit.
private let savedNamespace = LogBox()
func usePrivateNamespace() {
    savedNamespace.lines = getenv("HORUS_NAMESPACE").map { [String(cString: $0)] } ?? []
    setenv("HORUS_NAMESPACE", "plug\(getpid())", 1)
}
func restoreNamespace() {
    if let old = savedNamespace.lines.first { setenv("HORUS_NAMESPACE", old, 1) } else { unsetenv("HORUS_NAMESPACE") }
}

/// Compiles C `source` into a shared library with the horus headers; returns its path.
func compilePlugin(_ source: String, name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    try compileCPlugin(source, name: name, file: file, line: line)
}

/// The C threshold plugin from Plugins/Threshold, compiled once per process.
let thresholdPluginPath: String = {
    let src = try! String(contentsOfFile: "\(repoRoot)/Plugins/Threshold/threshold.c", encoding: .utf8)
    return try! compilePlugin(src, name: "horus_threshold")
}()

/// The Swift edge_detect plugin, built by SwiftPM next to the test bundle.
func edgeDetectPluginPath() throws -> String { try swiftPluginPath("libHorusEdgeDetectPlugin.so") }

/// A Swift plugin library SwiftPM built next to the test bundle (e.g. "libHorusAlertFilterPlugin.so").
func swiftPluginPath(_ file: String) throws -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while dir.path.contains(".xctest") { dir.deleteLastPathComponent() }
    for candidate in [Bundle.main.bundlePath, dir.path] + Bundle.allBundles.map({ URL(fileURLWithPath: $0.bundlePath).deletingLastPathComponent().path }) {
        let p = URL(fileURLWithPath: candidate).appendingPathComponent(file).path
        if FileManager.default.fileExists(atPath: p) { return p }
    }
    throw XCTSkip("\(file) not built (run `swift build` before `swift test`)")
}

/// A small pool for this process.
func testPool() throws -> Pool {
    try Pool.open(name: "plugtest\(getpid())",
                  configuration: PoolConfiguration(classes: [.init(slotSize: 4096, slotCount: 32), .init(slotSize: 1 << 20, slotCount: 4)]))
}

/// A node of a plugin type wired to fresh topics `<tag>.<port>`, with a feeding publisher
/// per input and a subscriber per output. Log lines are collected.
final class PluginHarness {
    let node: PluginNode
    let context: NodeContext
    let topicPrefix: String

    init(library: PluginLibrary, type: String, params: [String: ParamValue] = [:], tag: String, clock: GraphClock = ManualClock(42)) throws {
        node = try library.makeNode(type: type)
        let prefix = "plug\(getpid()).\(tag)"
        topicPrefix = prefix
        let spec = node.spec
        var params = params
        for p in spec.params where params[p.name] == nil { params[p.name] = p.defaultValue }
        let box = LogBox()
        context = try NodeContext.wired(
            nodeName: tag, params: params, clock: clock, pool: try testPool(),
            inputs: spec.inputs.map { PortWiring(port: $0.name, topic: "\(prefix).\($0.name)", typeName: $0.messageType.rawValue) },
            outputs: spec.outputs.map { PortWiring(port: $0.name, topic: "\(prefix).\($0.name)", typeName: $0.messageType.rawValue) },
            log: { box.lines.append($0) })
        logBox = box
    }
    private let logBox: LogBox
    var logLines: [String] { logBox.lines }

    func topic(_ port: String) -> String { "\(topicPrefix).\(port)" }
}

final class LogBox: @unchecked Sendable { var lines: [String] = [] }
