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

    /// graphs/crash_restart.yaml: `crasher` (isolate: process, on-failure, max 2) segfaults on
    /// its 5th frame, three times; the camera and threshold keep running at their rate.
    func testIsolatedCrashingNodeIsRestartedAndGraphKeepsRunning() throws {
        let env = try pluginPathEnv()
        let ns = uniqueNamespace("crash")
        let graph = "\(cliRepoRoot)/graphs/crash_restart.yaml"
        let r = try CLIProcess("horus-run", [graph, "--duration", "3", "--json", "--quiet"], namespace: ns, extraEnv: env).finish()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "crashed: signal 11").count - 1, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("node 'crasher' (pid "), r.stderr)
        XCTAssertTrue(r.stderr.contains("node 'crasher': restarted (1/2)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("node 'crasher': restarted (2/2)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("giving up after 2 restarts"), r.stderr)
        let isolated = (summaryObject(r)?["isolated"] as? [[String: Any]])?.first
        XCTAssertEqual(isolated?["name"] as? String, "crasher")
        XCTAssertEqual(uint(isolated?["crashes"]), 3, "\(String(describing: isolated))")
        XCTAssertEqual(uint(isolated?["restarts"]), 2, "\(String(describing: isolated))")
        XCTAssertEqual(isolated?["running"] as? Bool, false)
        // Each crash happened while holding a taken frame: its slot was handed back.
        XCTAssertGreaterThanOrEqual(uint(isolated?["reclaimedReferences"]), 3, "\(String(describing: isolated))")
        let nodes = summaryNodes(r)
        XCTAssertNil(nodes["crasher"], "an isolated node does not run in the runner")
        // 20 Hz for 3 s: the crashes did not slow the camera down.
        XCTAssertGreaterThanOrEqual(uint(nodes["camera"]?["ticks"]), 50, "\(String(describing: nodes["camera"]))")
        XCTAssertEqual(uint(nodes["camera"]?["errors"]), 0)
        XCTAssertGreaterThanOrEqual(uint(nodes["threshold"]?["ticks"]), 45, "\(String(describing: nodes["threshold"]))")
        XCTAssertEqual(uint(nodes["threshold"]?["errors"]), 0)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    /// An isolated node's messages reach in-process nodes (shared memory across processes),
    /// and `restart: never` + a crash stops the graph with exit status 3.
    func testIsolatedNodeFeedsInProcessNodesAndNeverPolicyStopsGraph() throws {
        let env = try pluginPathEnv()
        let ns = uniqueNamespace("isoc")
        let path = try writeGraph("isolated_chain.yaml", """
        graph: isolated_chain
        nodes:
          - name: camera
            type: camera_sim
            rate: 20
            params: {width: 64, height: 48}
            outputs: {color: /\(ns)/color, depth: /\(ns)/depth}
          - name: thresh
            plugin: libhorus_threshold.so
            type: threshold
            isolate: process
            inputs: {image: /\(ns)/color}
            outputs: {mask: /\(ns)/mask}
          - name: edges
            plugin: libHorusEdgeDetectPlugin.so
            type: edge_detect
            inputs: {image: /\(ns)/mask}
            outputs: {edges: /\(ns)/edges}
        """)
        let r = try CLIProcess("horus-run", [path, "--duration", "2", "--json", "--quiet"], namespace: ns, extraEnv: env).finish()
        XCTAssertEqual(r.status, 0, r.stderr)
        let edges = summaryNodes(r)["edges"]
        XCTAssertGreaterThanOrEqual(uint(edges?["ticks"]), 10, "masks from the child reach edges: \(String(describing: edges)) \(r.stderr)")
        XCTAssertEqual(uint(edges?["errors"]), 0)
        XCTAssertTrue(r.stderr.contains("node-host"), "the child reports when it stops: \(r.stderr)")
        XCTAssertEqual(shmFiles(namespace: ns), [])

        let crashPath = try writeGraph("isolated_never.yaml", """
        graph: isolated_never
        nodes:
          - name: camera
            type: camera_sim
            rate: 20
            params: {width: 64, height: 48}
            outputs: {color: /\(ns)/color, depth: /\(ns)/depth}
          - name: boom
            plugin: libhorus_crasher.so
            type: crasher
            isolate: process
            restart: never
            params: {crash_after: 2, how: abort}
            inputs: {image: /\(ns)/color}
        """)
        let c = try CLIProcess("horus-run", [crashPath, "--duration", "20", "--json", "--quiet"], namespace: ns, extraEnv: env).finish()
        XCTAssertEqual(c.status, 3, c.stderr)
        XCTAssertTrue(c.stderr.contains("crashed: signal \(SIGABRT)"), c.stderr)
        XCTAssertTrue(c.stderr.contains("not restarted (restart policy: never)"), c.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    /// The node-host child exits when the runner is killed (PR_SET_PDEATHSIG).
    func testNodeHostExitsWhenRunnerIsKilled() throws {
        let env = try pluginPathEnv()
        let ns = uniqueNamespace("orph")
        let path = try writeGraph("orphan.yaml", """
        graph: orphan
        nodes:
          - name: camera
            type: camera_sim
            rate: 10
            params: {width: 32, height: 24}
            outputs: {color: /\(ns)/color, depth: /\(ns)/depth}
          - name: thresh
            plugin: libhorus_threshold.so
            type: threshold
            isolate: process
            inputs: {image: /\(ns)/color}
        """)
        let p = try CLIProcess("horus-run", [path, "--duration", "60"], namespace: ns, extraEnv: env)
        XCTAssertTrue(p.waitFor("isolated: running in process "), p.stderrText)
        let text = p.stderrText
        let pidText = text.components(separatedBy: "isolated: running in process ").last!.prefix { $0.isNumber }
        let child = pid_t(String(pidText))!
        XCTAssertEqual(kill(child, 0), 0)
        p.signal(SIGKILL)
        _ = p.finish()
        let end = Date().addingTimeInterval(10)
        while kill(child, 0) == 0 && Date() < end { usleep(20_000) }
        XCTAssertNotEqual(kill(child, 0), 0, "node-host \(child) outlived its runner")
        // The runner was SIGKILLed: remove what it left (the child cleaned up its own share).
        for f in shmFiles(namespace: ns) { unlink("/dev/shm/" + f) }
    }
}
