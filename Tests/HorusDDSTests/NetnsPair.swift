import Foundation
import HorusSystem
import HorusTestSupport
import XCTest

/// The repository root (this file is Tests/HorusDDSTests/NetnsPair.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Two network namespaces joined by a veth pair (scripts/dds-netns), named uniquely per test
/// process and call, removed on `delete` (the test's teardown) and reaped by the next run if
/// the process died.
final class NetnsPair {
    let name: String
    private static var counter = 0
    private static let lock = NSLock()

    init() throws {
        let n: Int = Self.lock.withLock { Self.counter += 1; return Self.counter }
        name = "hd\(getpid())x\(n)"
        let r = try run(["create", name])
        guard r.status == 0 else { throw TestFailure("dds-netns create \(name) failed: \(r.output)") }
    }

    private var children: [NetnsProcess] = []

    /// Ends every process started in the pair, then removes the namespaces.
    func delete() {
        for c in children { c.finish(timeout: 0) }
        _ = try? run(["delete", name])
    }

    /// Takes the link down (both ends) or up.
    func link(up: Bool) throws {
        let r = try run(["link", name, up ? "up" : "down"])
        guard r.status == 0 else { throw TestFailure("dds-netns link failed: \(r.output)") }
    }

    /// Starts `command` in host `side` ("a" or "b") with the pair's Cyclone configuration.
    func start(_ side: String, _ command: [String]) throws -> NetnsProcess {
        let p = try NetnsProcess(script.path, ["exec", name, side] + command)
        children.append(p)
        return p
    }

    private var script: URL { repositoryRoot.appendingPathComponent("scripts/dds-netns") }

    private func run(_ args: [String]) throws -> (status: Int32, output: String) {
        let p = try NetnsProcess(script.path, args)
        let status = p.finish(timeout: 30)
        return (status, p.lines.joined(separator: "\n"))
    }
}

/// A child process whose stdout+stderr lines are collected as they come.
typealias NetnsProcess = LineCollectingProcess

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The probe executable built next to the test bundle.
var probePath: String { helperExecutable("horus-dds-probe").path }
/// The Python cyclonedds peer.
var pythonPeer: String { repositoryRoot.appendingPathComponent("Tests/HorusDDSTests/ros2_peer.py").path }

/// A temporary directory removed by the test's teardown.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("horus-dds-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

/// Polls `condition` every 0.1 s for up to `seconds`; its last value.
func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(100_000)
    }
    return condition()
}

/// Fails if any of the HORUS_NAMESPACEs `namespaces` left segments in /dev/shm (and removes them,
/// so one test's leftovers do not fail the next).
func assertNoSharedMemory(_ namespaces: [String], _ message: @autoclosure () -> String = "",
                          file: StaticString = #filePath, line: UInt = #line) {
    let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? [])
        .filter { f in namespaces.contains { f.hasPrefix("horus-\($0)-") } }
    XCTAssertEqual(left, [], "shared memory left in /dev/shm \(message())", file: file, line: line)
    for f in left { unlink("/dev/shm/" + f) }
}

extension XCTestCase {
    /// A fresh namespace pair, deleted when the test ends (pass or fail).
    func makeNetnsPair() throws -> NetnsPair {
        let pair = try NetnsPair()
        addTeardownBlock { pair.delete() }
        return pair
    }
}

/// The two hosts of a bridge test: a namespace pair whose hosts have their own HORUS_NAMESPACE.
struct BridgeHosts {
    let pair: NetnsPair
    let nsA: String, nsB: String
    /// Starts `command` in host A (B) with its HORUS_NAMESPACE.
    func inA(_ command: [String]) throws -> NetnsProcess { try pair.start("a", ["env", "HORUS_NAMESPACE=\(nsA)"] + command) }
    func inB(_ command: [String]) throws -> NetnsProcess { try pair.start("b", ["env", "HORUS_NAMESPACE=\(nsB)"] + command) }
}

extension XCTestCase {
    /// Fresh bridge hosts; when the test ends the pair is deleted and neither namespace may have
    /// left anything in /dev/shm.
    func makeBridgeHosts() throws -> BridgeHosts {
        let pair = try makeNetnsPair()
        let h = BridgeHosts(pair: pair, nsA: "\(pair.name)ha", nsB: "\(pair.name)hb")
        addTeardownBlock { assertNoSharedMemory([h.nsA, h.nsB]) }
        return h
    }
}

/// Word `key=N` of a line (bridge status and summary lines, the peers' result lines): N.
func numberField(_ key: String, _ line: String) -> Int? {
    line.split(separator: " ").first { $0.hasPrefix(key + "=") }.flatMap { Int($0.dropFirst(key.count + 1)) }
}

/// The JSON object on a line of `lines` starting with "{" (horus-run --json prints one at the end).
func jsonObject(_ lines: [String]) throws -> [String: Any] {
    let line = try XCTUnwrap(lines.last { $0.hasPrefix("{") }, "no JSON line in \(lines.suffix(5))")
    return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

/// Node `name` of a `horus-run --json` summary.
func summaryNode(_ summary: [String: Any], _ name: String) throws -> [String: Any] {
    let nodes = try XCTUnwrap(summary["nodes"] as? [[String: Any]], "\(summary)")
    return try XCTUnwrap(nodes.first { $0["name"] as? String == name }, "\(nodes)")
}

/// A libhorus_dds.so in `dir` that needs a libddsc which is not there (as on a machine without
/// Cyclone DDS): loading it gives DDSLibrary's "Cyclone DDS is not installed" line.
func libraryWithoutLibddsc(in dir: URL) throws -> URL {
    let stub = dir.appendingPathComponent("stub.c"), fake = dir.appendingPathComponent("fake.c")
    try "int dds_stub(void) { return 1; }\n".write(to: stub, atomically: true, encoding: .utf8)
    try "int dds_stub(void);\nint horus_dds_get_api(void) { return dds_stub(); }\n".write(to: fake, atomically: true, encoding: .utf8)
    let ddsc = dir.appendingPathComponent("libddsc.so.99"), lib = dir.appendingPathComponent("libhorus_dds.so")
    func compile(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["cc"] + args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestFailure("cc \(args) failed") }
    }
    try compile(["-shared", "-fPIC", "-Wl,-soname,libddsc.so.99", "-o", ddsc.path, stub.path])
    try compile(["-shared", "-fPIC", "-o", lib.path, fake.path, ddsc.path])
    try FileManager.default.removeItem(at: ddsc)
    return lib
}
