import Foundation
import HorusMemory
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the test targets: unique shm names, small pools, and child processes
/// (the helper executables built next to the test bundle) with line-based pipes.

/// A pool name no other test (or parallel test process) uses.
public func uniquePoolName(_ tag: String, line: UInt = #line) -> String { "t\(getpid())-\(tag)-\(line)" }

/// A small pool for tests: few slots so exhaustion is cheap to reach.
public func smallPool(_ tag: String, line: UInt = #line, classes: [(Int, Int)] = [(256, 16), (4096, 8), (1 << 20, 4)]) throws -> Pool {
    try Pool.open(name: uniquePoolName(tag, line: line),
                  configuration: PoolConfiguration(classes: classes.map { .init(slotSize: $0.0, slotCount: $0.1) }))
}

/// A helper executable built next to the test bundle.
public func helperExecutable(_ name: String) -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if dir.lastPathComponent.hasSuffix(".xctest") || dir.path.contains(".xctest/") {
        while dir.path.contains(".xctest") { dir.deleteLastPathComponent() }
    }
    return dir.appendingPathComponent(name)
}

/// A child process with line-based stdin/stdout.
public final class ChildProcess {
    public let process = Process()
    private let stdinPipe = Pipe(), stdoutPipe = Pipe()
    private var buffer = Data()

    public convenience init(_ executable: String, _ arguments: [String]) throws {
        try self.init(url: helperExecutable(executable), arguments)
    }

    /// Any program, e.g. `/usr/bin/env` with `python3 script.py` as arguments.
    public init(url: URL, _ arguments: [String]) throws {
        process.executableURL = url
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()
    }

    /// The next line the child prints (nil on EOF).
    public func readLine() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                return line
            }
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// Reads lines until one starts with `prefix`; returns the rest of it.
    public func value(after prefix: String) -> String? {
        while let line = readLine() {
            if line.hasPrefix(prefix + " ") { return String(line.dropFirst(prefix.count + 1)) }
        }
        return nil
    }

    public func send(_ line: String) { stdinPipe.fileHandleForWriting.write((line + "\n").data(using: .utf8)!) }

    public func kill9() { kill(process.processIdentifier, SIGKILL) }

    public func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

public func checksum(_ b: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
    return h
}

/// Runs `args` through /usr/bin/env to completion and returns its exit status and
/// output (stdout is drained before waiting, so a large output cannot block the child).
public func runCommand(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// The repository root (this file is Tests/HorusTestSupport/TestSupport.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A scratch directory for this test process (compiled plugins, files; removed at exit).
public let testScratchDirectory: String = {
    let dir = NSTemporaryDirectory() + "horus-test-plugins-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "horus-test-plugins-\(getpid())") }
    return dir
}()

/// Compiles C plugin `source` into `lib<name>.so` with the horus headers (warnings are
/// errors); returns its path. A compiler error fails the calling test with cc's output.
public func compileCPlugin(_ source: String, name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let src = "\(testScratchDirectory)/\(name).c", lib = "\(testScratchDirectory)/lib\(name).so"
    try source.write(toFile: src, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["cc", "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-Wno-unused-const-variable", "-Wno-unused-function", "-std=c11",
                   "-I", "\(repositoryRoot)/Sources/CHorus/include", "-o", lib, src]
    let err = Pipe()
    p.standardError = err
    try p.run()
    p.waitUntilExit()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard p.terminationStatus == 0 else {
        XCTFail("cc failed for \(name):\n\(text)", file: file, line: line)
        throw NSError(domain: "cc", code: Int(p.terminationStatus))
    }
    return lib
}
