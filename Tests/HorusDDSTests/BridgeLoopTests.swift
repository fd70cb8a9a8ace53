import Foundation
import HorusTestSupport
import XCTest

/// Loops between two bridges of one horus namespace on one host, which would import each
/// other's samples: a topic whose publisher is a bridge importer is never exported, whichever
/// bridge starts first. Real processes (`horus-run bridge`, a graph with a `bridge:` section)
/// in one network namespace.
final class BridgeLoopTests: XCTestCase {
    private var runPath: String { helperExecutable("horus-run").path }
    private let refusedLine = "horus-run bridge: export '/camera/depth' refused: pid "
    private let why = " publishes it as a bridge importer of rt/camera/depth; exporting it would send DDS samples back to DDS (a loop)"

    func testAnExporterStartedAfterAnImporterOfTheTopicRefusesIt() throws {
        let pair = try makeNetnsPair()
        let ns = "\(pair.name)l"
        addTeardownBlock { assertNoSharedMemory([ns]) }
        func inA(_ c: [String]) throws -> NetnsProcess { try pair.start("a", ["env", "HORUS_NAMESPACE=\(ns)"] + c) }
        let importer = try inA([runPath, "bridge", "--import", "/camera/depth:DepthImage", "--duration", "60"])
        XCTAssertNotNil(importer.waitForLine("bridge domain 0", timeout: 30), "\(importer.lines)")
        let exporter = try inA([runPath, "bridge", "--export", "/camera/depth", "--duration", "3"])
        XCTAssertEqual(exporter.finish(timeout: 30), 1, "\(exporter.lines)")
        let refused = exporter.lines.filter { $0.hasPrefix(refusedLine) }
        XCTAssertFalse(refused.isEmpty, "\(exporter.lines)")
        XCTAssertTrue(refused.allSatisfy { $0.hasSuffix(why) }, "\(refused)")
        XCTAssertFalse(exporter.lines.contains { $0.hasPrefix("summary export /camera/depth") }, "it never exported: \(exporter.lines)")
        importer.finish(timeout: 0)
        XCTAssertTrue(importer.lines.contains { $0.hasPrefix("summary import /camera/depth [DepthImage]") && $0.contains("msgs=0 ") },
                      "nothing came back: \(importer.lines.suffix(3))")
    }

    func testAGraphsExportStopsWhenABridgeStartsImportingTheTopic() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        let ns = "\(pair.name)m"
        addTeardownBlock { assertNoSharedMemory([ns]) }
        func inA(_ c: [String]) throws -> NetnsProcess { try pair.start("a", ["env", "HORUS_NAMESPACE=\(ns)"] + c) }
        let graph = dir.appendingPathComponent("export.yaml").path
        try """
        nodes:
          - name: cam
            type: camera_sim
            rate: 20
            params: {width: 32, height: 24}
            outputs: {depth: /camera/depth}
        bridge:
          export: [/camera/depth]

        """.write(toFile: graph, atomically: true, encoding: .utf8)
        let run = try inA([runPath, graph, "--json", "--status-interval", "0.5", "--duration", "60"])
        XCTAssertTrue(waitUntil(30) { run.lines.contains { $0.hasPrefix("bridge: export /camera/depth") && !$0.contains("msgs=0 ") } },
                      "the graph exports: \(run.lines.suffix(4))")
        XCTAssertEqual(wakeThreads(run.pid), 1, "the bridge sleeps on the exported topic through one wake thread")
        // A second bridge of the same namespace imports rt/camera/depth — the graph's own export —
        // into /camera/depth: without the guard every sample would go round forever.
        let importer = try inA([runPath, "bridge", "--import", "/camera/depth:DepthImage", "--duration", "6"])
        XCTAssertTrue(waitUntil(30) { run.lines.contains { $0.hasPrefix("bridge: refused: export '/camera/depth' refused: pid ") } },
                      "\(run.lines.suffix(6))")
        XCTAssertTrue(waitUntil(3) { self.wakeThreads(run.pid) == 0 }, "the refused export's wake thread stopped (it would wake the bridge for nothing)")
        XCTAssertEqual(importer.finish(timeout: 30), 0, "\(importer.lines.suffix(4))")
        run.finish(timeout: 0)

        let summary = try jsonObject(run.lines)
        let refused = try XCTUnwrap(summary["bridgeRefused"] as? [String], "\(summary)")
        XCTAssertEqual(refused.count, 1)
        let first = try XCTUnwrap(refused.first)
        XCTAssertTrue(first.hasPrefix("export '/camera/depth' refused: pid ") && first.hasSuffix(why), first)
        let exported = try XCTUnwrap((summary["bridge"] as? [[String: Any]])?.first, "\(summary)")
        XCTAssertEqual(exported["lastError"] as? String, first)
        let sent = try XCTUnwrap(exported["messages"] as? Int)
        let cam = try summaryNode(summary, "cam")
        XCTAssertLessThan(sent, try XCTUnwrap(cam["messagesOut"] as? Int), "the export stopped while the camera went on")
        // What the importer received is at most what the graph sent: nothing was sent twice.
        let imported = try XCTUnwrap(importer.lines.first { $0.hasPrefix("summary import /camera/depth [DepthImage]") }, "\(importer.lines.suffix(3))")
        let got = try XCTUnwrap(Int(imported.components(separatedBy: " msgs=")[1].prefix { $0.isNumber }))
        XCTAssertLessThanOrEqual(got, sent, imported)
        // The status lines after the refusal all show the same count: no sample went out again.
        let counts = run.lines.filter { $0.hasPrefix("bridge: export /camera/depth") }.compactMap { Int($0.components(separatedBy: " msgs=")[1].prefix { $0.isNumber }) }
        XCTAssertEqual(counts.last, sent, "\(counts)")
    }

    /// Threads of process `pid` named "bridge-wake ..." (one per exported topic the bridge sleeps on).
    private func wakeThreads(_ pid: Int32) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.filter { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "").hasPrefix("bridge-wake")
        }.count
    }
}
