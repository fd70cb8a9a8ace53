import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The repository root (this file is Tests/HorusCLITests/PluginGraphTests.swift).
let cliRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The C plugins under Plugins/, built once per test process by Plugins/build-c-plugins.sh
/// into a scratch directory (removed at exit). Nil (test skipped) when no C compiler works.
let cPluginDir: String? = {
    let dir = NSTemporaryDirectory() + "horus-cli-plugins-\(getpid())"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["\(cliRepoRoot)/Plugins/build-c-plugins.sh", dir]
    p.standardOutput = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return nil }
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { return nil }
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "horus-cli-plugins-\(getpid())") }
    return dir
}()

/// The directory holding libHorusEdgeDetectPlugin.so (SwiftPM builds it next to the tests).
func swiftPluginDir() throws -> String {
    let dir = builtExecutable("horus-run").deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: dir + "/libHorusEdgeDetectPlugin.so") else {
        throw XCTSkip("libHorusEdgeDetectPlugin.so not built (run `swift build` before `swift test`)")
    }
    return dir
}

/// HORUS_PLUGIN_PATH finding both the C plugins and the Swift plugin.
func pluginPathEnv() throws -> [String: String] {
    guard let c = cPluginDir else { throw XCTSkip("could not build the C plugins (no cc?)") }
    return ["HORUS_PLUGIN_PATH": "\(c):\(try swiftPluginDir())"]
}

/// The `--json` summary's node entries by name.
func summaryNodes(_ r: RunResult, file: StaticString = #filePath, line: UInt = #line) -> [String: [String: Any]] {
    guard let last = r.lines.last, let obj = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
          let nodes = obj["nodes"] as? [[String: Any]] else {
        XCTFail("no JSON summary in stdout: \(r.stdout)\nstderr: \(r.stderr)", file: file, line: line)
        return [:]
    }
    var out: [String: [String: Any]] = [:]
    for n in nodes { if let name = n["name"] as? String { out[name] = n } }
    return out
}

func summaryObject(_ r: RunResult) -> [String: Any]? {
    guard let last = r.lines.last else { return nil }
    return try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
}

func uint(_ v: Any?) -> UInt64 { (v as? NSNumber)?.uint64Value ?? UInt64.max }

final class PluginGraphTests: XCTestCase {
    /// graphs/camera_threshold.yaml: camera_sim -> threshold (C) -> edge_detect (Swift).
    func testCameraThresholdGraphRunsBothPlugins() throws {
        let env = try pluginPathEnv()
        let ns = uniqueNamespace("plg")
        let graph = "\(cliRepoRoot)/graphs/camera_threshold.yaml"
        let r = try CLIProcess("horus-run", [graph, "--ticks", "10", "--json", "--quiet"], namespace: ns, extraEnv: env).finish()
        XCTAssertEqual(r.status, 0, r.stderr)
        let nodes = summaryNodes(r)
        XCTAssertEqual(uint(nodes["camera"]?["ticks"]), 10, "\(nodes)")
        for name in ["threshold", "edges"] {
            XCTAssertEqual(uint(nodes[name]?["ticks"]), 10, "\(name): \(String(describing: nodes[name]))")
            XCTAssertEqual(uint(nodes[name]?["messagesOut"]), 10, "\(name): \(String(describing: nodes[name]))")
            XCTAssertEqual(uint(nodes[name]?["errors"]), 0, "\(name): \(String(describing: nodes[name]))")
        }
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }
}
