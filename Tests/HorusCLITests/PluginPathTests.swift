import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `plugin:` paths resolved by horus-run from a working directory other than the graph's:
/// beside the graph, `./lib`, `HORUS_PLUGIN_PATH=.`, and never a system-library search.
final class PluginPathTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        guard let c = cPluginDir else { throw XCTSkip("could not build the C plugins (no cc?)") }
        root = NSTemporaryDirectory() + "horus-plugpath-\(getpid())-\(UUID().uuidString.prefix(8))"
        for d in ["graphdir", "plugdir", "elsewhere"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(d)", withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: c + "/libhorus_threshold.so", toPath: "\(root)/graphdir/libfoo.so")
        try FileManager.default.copyItem(atPath: c + "/libhorus_threshold.so", toPath: "\(root)/plugdir/libbar.so")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    private func graph(plugin: String, file: String) throws -> String {
        let path = "\(root)/graphdir/\(file)"
        try """
        graph: plugpath
        nodes:
          - name: camera
            type: camera_sim
            rate: 10
            outputs: {color: /color, depth: /depth}
          - name: thresh
            plugin: \(plugin)
            type: threshold
            inputs: {image: /color}
            outputs: {mask: /mask}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func check(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> RunResult {
        var e = env
        if e["HORUS_PLUGIN_PATH"] == nil { e["HORUS_PLUGIN_PATH"] = "" }
        return try CLIProcess("horus-run", ["check"] + args, namespace: uniqueNamespace("pp"), extraEnv: e,
                              currentDirectory: cwd).finish()
    }

    func testLibraryBesideTheGraphFromAnotherDirectory() throws {
        let g = try graph(plugin: "libfoo.so", file: "bare.yaml")
        let abs = try check([g], cwd: "\(root)/elsewhere")
        XCTAssertEqual(abs.status, 0, abs.stderr)
        // The graph named by a relative path (its directory is relative too).
        let rel = try check(["graphdir/bare.yaml"], cwd: root)
        XCTAssertEqual(rel.status, 0, rel.stderr)
        // And from the graph's own directory (the directory is ".").
        let here = try check(["bare.yaml"], cwd: "\(root)/graphdir")
        XCTAssertEqual(here.status, 0, here.stderr)
    }

    func testDotSlashLibrary() throws {
        let g = try graph(plugin: "./libfoo.so", file: "dot.yaml")
        let r = try check([g], cwd: "\(root)/elsewhere")
        XCTAssertEqual(r.status, 0, r.stderr)
        let here = try check(["dot.yaml"], cwd: "\(root)/graphdir")
        XCTAssertEqual(here.status, 0, here.stderr)
    }

    func testPluginPathDotIsTheCurrentDirectory() throws {
        let g = try graph(plugin: "libbar.so", file: "searched.yaml")
        let r = try check([g], cwd: "\(root)/plugdir", env: ["HORUS_PLUGIN_PATH": "."])
        XCTAssertEqual(r.status, 0, r.stderr)
        // From elsewhere "." is elsewhere: not found, and the error lists every path tried.
        let miss = try check([g], cwd: "\(root)/elsewhere", env: ["HORUS_PLUGIN_PATH": ".:\(root)/nothing", "HOME": "\(root)/home"])
        XCTAssertEqual(miss.status, 1, miss.stderr)
        XCTAssertTrue(miss.stderr.contains("cannot load plugin 'libbar.so': no such library"), miss.stderr)
        for tried in ["\(root)/graphdir/libbar.so", "\(root)/elsewhere/libbar.so", "\(root)/nothing/libbar.so",
                      "\(root)/home/.local/lib/horus/plugins/libbar.so",
                      builtExecutable("horus-run").deletingLastPathComponent().path + "/../lib/horus/plugins/libbar.so"] {
            XCTAssertTrue(miss.stderr.contains(tried), "\(tried) not listed: \(miss.stderr)")
        }
    }

    /// A bare name of a system library is not found: dlopen is never asked to search.
    func testSystemLibraryNameIsNotSearched() throws {
        let g = try graph(plugin: "libc.so.6", file: "system.yaml")
        let r = try check([g], cwd: "\(root)/elsewhere")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot load plugin 'libc.so.6': no such library (tried \(root)/graphdir/libc.so.6"), r.stderr)
        XCTAssertFalse(r.stderr.contains("entry symbol"), r.stderr)
    }
}
