import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose stdout and stderr lines are collected as they come: what the tests and
/// benchmarks that run horus processes (and third-party tools) read their facts from.
package final class LineCollectingProcess: @unchecked Sendable {
    private let process = Process()
    private let pipe = Pipe()
    private let condition = NSCondition()
    private var collected: [String] = []
    private var partial = Data()
    private var ended = false
    package let description: String

    package init(_ executable: String, _ arguments: [String]) throws {
        description = ([executable] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData) }
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

    /// The process id (of the command itself when wrappers such as `ip netns exec` exec it).
    package var pid: Int32 { process.processIdentifier }
    package var isRunning: Bool { process.isRunning }

    /// Every line printed so far.
    package var lines: [String] { condition.lock(); defer { condition.unlock() }; return collected }

    /// Waits for a line starting with `prefix`; nil after `timeout` seconds or at end of output.
    package func waitForLine(_ prefix: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let line = collected.first(where: { $0.hasPrefix(prefix) }) { return line }
            if ended || !condition.wait(until: deadline) { return nil }
        }
    }

    /// Waits for the exit, sending SIGTERM after `timeout` seconds (SIGKILL 10 s later); the exit status.
    @discardableResult
    package func finish(timeout: TimeInterval) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            let hard = Date().addingTimeInterval(10)
            while process.isRunning, Date() < hard { usleep(20_000) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        process.waitUntilExit()
        condition.lock()
        while !ended { if !condition.wait(until: Date().addingTimeInterval(2)) { break } }
        condition.unlock()
        return process.terminationStatus
    }
}
