import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run new-plugin`: both scaffolds build with their one command, their sample graph
/// validates and runs, and their own test script passes.
final class NewPluginTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "horus-newplugin-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs `script` with sh in `cwd`; returns status and combined output.
    private func sh(_ script: String, cwd: String, namespace: String) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [script]
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ProcessInfo.processInfo.environment
        env["HORUS_NAMESPACE"] = namespace
        if !(env["PATH"] ?? "").contains("/opt/swift/usr/bin") { env["PATH"] = "/opt/swift/usr/bin:" + (env["PATH"] ?? "/usr/bin:/bin") }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testCScaffoldBuildsAndRuns() throws {
        let r = try horusRun(["new-plugin", "brighten", "--lang", "c", dir], namespace: uniqueNamespace("np"))
        XCTAssertEqual(r.status, 0, r.stderr)
        let project = dir + "/brighten"
        for f in ["brighten.c", "Makefile", "graph.yaml", "test.sh", "README.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(project)/\(f)"), f)
        }
        let ns = uniqueNamespace("npc")
        let (status, output) = try sh("\(project)/test.sh", cwd: dir, namespace: ns)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("ok: brighten processed 5 frames"), output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(project)/libbrighten.so"))
        // The plugin's declarations are what the template says.
        let types = try horusRun(["types", "--plugin", "\(project)/libbrighten.so"], namespace: ns)
        XCTAssertNotNil(types.stdout.range(of: #"offset\s+int\s+20\s+-255\.\.\.255"#, options: .regularExpression), types.stdout)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testSwiftScaffoldBuildsAndRuns() throws {
        let r = try horusRun(["new-plugin", "Invert", "--lang", "swift", dir], namespace: uniqueNamespace("np"))
        XCTAssertEqual(r.status, 0, r.stderr)
        let project = dir + "/Invert"
        let manifest = try String(contentsOfFile: "\(project)/Package.swift", encoding: .utf8)
        XCTAssertTrue(manifest.contains(".package(path: \"\(cliRepoRoot)/PluginKit\")"), manifest)
        XCTAssertTrue(manifest.contains(".product(name: \"HorusPluginKit\", package: \"PluginKit\")"), manifest)
        let ns = uniqueNamespace("nps")
        let (status, output) = try sh("\(project)/test.sh", cwd: dir, namespace: ns)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("ok: invert processed 5 frames"), output)
        // Only the kit's package was resolved: none of horus's own dependencies.
        let resolved = (try? String(contentsOfFile: "\(project)/Package.resolved", encoding: .utf8)) ?? ""
        for dep in ["yams", "swift-argument-parser", "swift-atomics"] {
            XCTAssertFalse(resolved.lowercased().contains(dep), "\(dep) resolved: \(resolved)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(project)/.build/checkouts/\(dep)"), dep)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(project)/.build/checkouts/Yams"))
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testBadArguments() throws {
        let bad = try horusRun(["new-plugin", "9lives", "--lang", "c", dir], namespace: uniqueNamespace("np"))
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("plugin name '9lives' must be an identifier"), bad.stderr)
        let lang = try horusRun(["new-plugin", "x", "--lang", "rust", dir], namespace: uniqueNamespace("np"))
        XCTAssertEqual(lang.status, 1)
        XCTAssertTrue(lang.stderr.contains("--lang must be c or swift, got 'rust'"), lang.stderr)
        XCTAssertEqual(try horusRun(["new-plugin", "twice", "--lang", "c", dir], namespace: uniqueNamespace("np")).status, 0)
        let again = try horusRun(["new-plugin", "twice", "--lang", "c", dir], namespace: uniqueNamespace("np"))
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already exists; not overwriting it"), again.stderr)
    }
}
