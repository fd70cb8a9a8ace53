import Foundation
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// An executable built next to the test bundle (.build/<config>/horus-run).
func builtExecutable(_ name: String) -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while dir.path.contains(".xctest") { dir.deleteLastPathComponent() }
    return dir.appendingPathComponent(name)
}

/// What a finished horus-run invocation produced.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// The CLI test node types (Fixtures/cli_test_nodes.c), compiled once per test process.
let cliTestNodesPlugin: String = {
    let src = try! String(contentsOfFile: "\(repositoryRoot)/Tests/HorusCLITests/Fixtures/cli_test_nodes.c", encoding: .utf8)
    return try! compileCPlugin(src, name: "cli_test_nodes")
}()

/// A namespace no other test run uses.
func uniqueNamespace(_ tag: String) -> String { "cli\(getpid())\(tag)" }

/// Files this namespace left in /dev/shm.
func shmFiles(namespace: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter { $0.hasPrefix("horus-\(namespace)-") }
}

/// A child process whose stdout/stderr are collected in the background.
final class CLIProcess {
    let process = Process()
    private let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    private let lock = NSLock()
    private var out = Data(), err = Data()
    private let done = DispatchGroup()

    init(_ executable: String, _ args: [String], namespace: String, extraEnv: [String: String] = [:],
         currentDirectory: String? = nil) throws {
        process.executableURL = builtExecutable(executable)
        process.arguments = args
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        var env = ProcessInfo.processInfo.environment
        env["HORUS_NAMESPACE"] = namespace
        env["HORUS_PLUGINS"] = cliTestNodesPlugin
        for (k, v) in extraEnv { env[k] = v }
        process.environment = env
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
            done.enter()
            let h = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let d = h.availableData
                    if d.isEmpty { break }
                    lock.lock()
                    if isOut { out.append(d) } else { err.append(d) }
                    lock.unlock()
                }
                done.leave()
            }
        }
        try process.run()
    }

    var stdoutText: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    var stderrText: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

    /// Waits until stdout or stderr contains `text`; false on timeout.
    func waitFor(_ text: String, timeout: Double = 20) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if stdoutText.contains(text) || stderrText.contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    func send(_ line: String) { inPipe.fileHandleForWriting.write((line + "\n").data(using: .utf8)!) }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for exit (killing the process after `timeout`) and returns what it printed.
    func finish(timeout: Double = 60) -> RunResult {
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < end { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            XCTFail("\(process.executableURL!.lastPathComponent) \(process.arguments ?? []) timed out")
        }
        process.waitUntilExit()
        _ = done.wait(timeout: .now() + 5)
        return RunResult(status: process.terminationStatus, stdout: stdoutText, stderr: stderrText)
    }
}

/// Runs horus-run to completion.
func horusRun(_ args: [String], namespace: String, timeout: Double = 60) throws -> RunResult {
    try CLIProcess("horus-run", args, namespace: namespace).finish(timeout: timeout)
}

/// A valid three-node graph of the CLI test node types (source -> relay -> sink) on
/// topics under `/ns`; `extra` is appended (a `record:` section, for example).
func cliTestGraph(_ ns: String, name: String = "demo", extra: String = "") -> String {
    """
    graph: \(name)
    nodes:
      - name: src
        type: cli_test_source
        rate: 100
        params: {width: 16, height: 8}
        outputs: {out: /\(ns)/images}
      - name: relay
        type: cli_test_relay
        inputs: {in: /\(ns)/images}
        outputs: {out: /\(ns)/relayed}
      - name: sink
        type: cli_test_sink
        inputs: {in: /\(ns)/relayed}

    """ + extra
}

/// Writes `text` to a fresh temporary file named `name`; returns its path.
func writeGraph(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("horus-cli-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Message count according to the reference Python `mcap` reader (CRCs validated); nil if unavailable.
func pythonMessageCount(_ path: String) throws -> Int? {
    let r = try runCommand(["python3", "-c", """
    import sys
    from mcap.reader import make_reader
    with open(sys.argv[1], "rb") as f:
        r = make_reader(f, validate_crcs=True)
        n = sum(1 for _ in r.iter_messages())
        print(n, r.get_summary().statistics.message_count)
    """, path])
    if r.status != 0 && r.err.contains("No module named") { return nil }
    XCTAssertEqual(r.status, 0, r.err)
    let parts = r.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
    XCTAssertEqual(parts.count, 2)
    XCTAssertEqual(parts.first, parts.last, "iterated messages == statistics message_count")
    return parts.first
}
