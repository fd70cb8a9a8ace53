import Foundation
import HorusMemory
import XCTest
@testable import HorusGraph
#if canImport(Glibc)
import Glibc
#endif

/// A node whose every tick fails the same way.
final class AlwaysFailingNode: Node {
    struct Boom: Error, CustomStringConvertible { var description: String { "sensor unplugged" } }
    func configure(_ c: NodeContext) throws {}
    func tick(_ c: NodeContext) throws { throw Boom() }
}

/// Log lines collected from several threads.
final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

final class TickErrorThrottleTests: XCTestCase {
    func testRepeatsAreCountedNotPrinted() {
        var t = RepeatThrottle(intervalNs: 1_000)
        XCTAssertEqual(t.note("a", nowNs: 0), ["a"])
        XCTAssertEqual(t.note("a", nowNs: 10), [])
        XCTAssertEqual(t.note("a", nowNs: 20), [])
        // The interval has passed: one summary line with the count.
        XCTAssertEqual(t.note("a", nowNs: 1_010), ["a (repeated 3 more times in 0.0 s)"])
        XCTAssertEqual(t.note("a", nowNs: 1_020), [])
        // A different message flushes the pending count first.
        XCTAssertEqual(t.note("b", nowNs: 1_030), ["a (repeated 1 more time in 0.0 s)", "b"])
        XCTAssertNil(t.flush())

        var slow = RepeatThrottle()  // 1 s interval
        XCTAssertEqual(slow.note("x", nowNs: 0), ["x"])
        XCTAssertEqual(slow.note("x", nowNs: 100_000_000), [])
        XCTAssertEqual(slow.note("x", nowNs: 600_000_000), [])
        XCTAssertEqual(slow.flush(), "x (repeated 2 more times in 0.5 s)")
        XCTAssertNil(slow.flush())
    }

    /// 60 failing ticks in ~0.1 s: one line, then the count when the graph stops.
    func testRunnerLogsRepeatedTickErrorOnceWithCount() throws {
        setenv("HORUS_NAMESPACE", "tet\(getpid())", 1)
        var catalog = NodeCatalog()
        try catalog.register(NodeTypeSpec(name: "failing", defaultTrigger: .periodic(hz: 500)), factory: { AlwaysFailingNode() })
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: "nodes:\n  - {name: f, type: failing}\n", file: "g.yaml"),
                                             registry: catalog.registry)
        let graph = try XCTUnwrap(report.graph, report.formatted())
        let sink = LogSink()
        let runner = try GraphRunner(graph: graph, catalog: catalog,
                                     options: RunOptions(duration: 20, ticks: 60, log: { sink.append($0) }))
        try runner.run()
        let lines = sink.all.filter { $0.contains("tick failed") }
        XCTAssertEqual(runner.statuses.first?.errors, 60)
        XCTAssertEqual(lines.first, "[f] tick failed: sensor unplugged")
        // Normally one summary at stop; a loaded machine may stretch the run past the 1 s
        // interval and add one more. Either way the counts add up and there are few lines.
        let prefix = "[f] tick failed: sensor unplugged (repeated "
        let counts = lines.dropFirst().compactMap { line -> Int? in
            guard line.hasPrefix(prefix) else { return nil }
            return Int(line.dropFirst(prefix.count).prefix { $0.isNumber })
        }
        XCTAssertEqual(counts.count, lines.count - 1, "\(lines)")
        XCTAssertLessThanOrEqual(lines.count, 4, "\(lines)")
        XCTAssertEqual(counts.reduce(0, +), 59, "\(lines)")
    }
}
