import Foundation
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
final class NetnsProcess {
    private let process = Process()
    private let pipe = Pipe()
    private let condition = NSCondition()
    private var collected: [String] = []
    private var partial = Data()
    private var ended = false
    let description: String

    init(_ executable: String, _ arguments: [String]) throws {
        description = ([executable] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
            let chunk = h.availableData
            self?.append(chunk)
        }
        try process.run()
    }

    private func append(_ chunk: Data) {
        condition.lock()
        defer { condition.broadcast(); condition.unlock() }
        if chunk.isEmpty { ended = true; pipe.fileHandleForReading.readabilityHandler = nil; return }
        partial.append(chunk)
        while let nl = partial.firstIndex(of: 10) {
            collected.append(String(decoding: partial[partial.startIndex..<nl], as: UTF8.self))
            partial.removeSubrange(partial.startIndex...nl)
        }
    }

    /// The process id (of the command itself: dds-netns and `ip netns exec` exec it).
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Every line printed so far.
    var lines: [String] { condition.lock(); defer { condition.unlock() }; return collected }

    /// Waits for a line starting with `prefix`; nil after `timeout` seconds or at end of output.
    func waitForLine(_ prefix: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let line = collected.first(where: { $0.hasPrefix(prefix) }) { return line }
            if ended || !condition.wait(until: deadline) { return nil }
        }
    }

    /// Waits for the exit (killing the process after `timeout` seconds); the exit status.
    @discardableResult
    func finish(timeout: TimeInterval) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        process.waitUntilExit()
        condition.lock()
        while !ended { if !condition.wait(until: Date().addingTimeInterval(2)) { break } }
        condition.unlock()
        return process.terminationStatus
    }
}

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

extension XCTestCase {
    /// Polls `condition` every 100 ms for up to `seconds`.
    func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    /// Fails (and removes them) if any of the HORUS_NAMESPACEs left segments in /dev/shm.
    func assertNoSharedMemory(_ namespaces: String...) {
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? [])
            .filter { f in namespaces.contains { f.hasPrefix("horus-\($0)-") } }
        XCTAssertEqual(left, [], "shared memory left in /dev/shm")
        for f in left { unlink("/dev/shm/" + f) }
    }

    /// A fresh namespace pair, deleted when the test ends (pass or fail).
    func makeNetnsPair() throws -> NetnsPair {
        let pair = try NetnsPair()
        addTeardownBlock { pair.delete() }
        return pair
    }
}
