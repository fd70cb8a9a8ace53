import Foundation
import HorusGraph
import HorusNodes
import HorusTestSupport
import XCTest
@testable import HorusRecord
#if canImport(Glibc)
import Glibc
#endif

/// Replay of damaged real recordings: a chunk failing its CRC is skipped (and said), a message that
/// cannot be decoded ends the replay with an error after the graph and the recorder stopped: no thread
/// of theirs survives the call (they crashed the process with "read an unowned reference" or hung its exit).
final class DamagedReplayTests: XCTestCase {
    var dir: URL!
    override func setUp() {
        setenv("HORUS_NAMESPACE", "hdr\(getpid())", 1)
        dir = try! MCAPTestSupport.temporaryDirectory(name)
        BuiltinNodes.registerMessageTypes()
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Threads of this process.
    func threadCount() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).count }

    /// Threads once those that already returned are gone (a Foundation thread that signalled its end
    /// exits a moment later); a leaked scheduler or recorder thread never goes.
    func settledThreadCount(atMost limit: Int) -> Int {
        for _ in 0..<200 where threadCount() > limit { usleep(10_000) }
        return threadCount()
    }

    /// Four camera frames of the shipped graph (color, depth, pose) in 1 MiB chunks.
    func recording(_ out: String) throws -> (graph: ValidatedGraph, catalog: NodeCatalog) {
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: RecordReplayTests.graphPath, registry: catalog.registry)
        let s = try RecordSession.run(graph: graph, catalog: catalog, output: out,
                                      topics: ["/camera/color", "/camera/depth", "/camera/pose"],
                                      duration: 20, ticks: 4, chunkSize: 1 << 20, log: { _ in })
        XCTAssertEqual(s.messages, 12)
        return (graph, catalog)
    }

    func testReplayOfAFileWhoseFirstChunkFailsItsCRCSkipsItAndSaysSo() throws {
        let rec = path("cam.mcap")
        let (graph, catalog) = try recording(rec)
        let reader = try MCAPReader(path: rec)
        let first = try XCTUnwrap(reader.chunkIndexes.first)
        var inFirst: [String: Int] = [:]
        try reader.forEachMessage { m in
            if m.recordOffset < first.chunkStartOffset + first.chunkLength { inFirst[reader.channels[m.channelID]!.topic, default: 0] += 1 }
        }
        var bytes = try MCAPTestSupport.readBytes(rec)
        bytes[Int(first.chunkStartOffset) + 49 + 5000] ^= 0x20
        let bad = path("bad.mcap")
        try MCAPTestSupport.writeBytes(bytes, to: bad)
        // Every recorded topic is a camera output, so all are replayed but those in the damaged chunk.
        let lost = inFirst.values.reduce(0, +)
        XCTAssertGreaterThan(lost, 0)
        let replayed = 12 - lost

        let lines = LogLines()
        let r = try Replayer(input: bad, graph: graph, catalog: catalog,
                             options: ReplayOptions(deterministic: true), log: { lines.add($0) })
        let s = try r.run()
        XCTAssertEqual(s.published, UInt64(replayed))
        let expected = "replay: skipped damaged chunk 0 at byte \(first.chunkStartOffset) (\(first.chunkLength) bytes, \(lost) messages lost): chunk CRC mismatch"
        XCTAssertTrue(lines.all.contains { $0.hasPrefix(expected) }, "\(lines.all)")

        // Threaded, with a recorder, many times over: every run ends, and leaves no thread behind.
        usleep(200_000)  // let the threads of the run before end
        let baseline = threadCount()
        for i in 0..<6 {
            let t = try Replayer(input: bad, graph: graph, catalog: catalog,
                                 options: ReplayOptions(fast: true, output: path("out\(i).mcap")), log: { _ in })
            XCTAssertEqual(try t.run().published, UInt64(replayed))
            XCTAssertLessThanOrEqual(settledThreadCount(atMost: baseline), baseline, "run \(i)")
        }
    }

    func testReplayOfAFileWithADamagedSummaryOrFooterReplaysEveryMessage() throws {
        let rec = path("cam.mcap")
        let (graph, catalog) = try recording(rec)
        let good = try MCAPTestSupport.readBytes(rec)
        var zeroed = good
        for k in (good.count - 37)..<good.count { zeroed[k] = 0 }       // footer and trailing magic
        var flipped = good
        flipped[Int(MCAPTestSupport.u64(good, good.count - 37 + 9)) + 30] ^= 0x01  // a summary byte: CRC mismatch
        for (name, bytes) in [("zeroed", zeroed), ("flipped", flipped)] {
            let p = path("\(name).mcap")
            try MCAPTestSupport.writeBytes(bytes, to: p)
            XCTAssertNotNil(try MCAPReader(path: p, salvage: true).summaryDamage, name)
            let r = try Replayer(input: p, graph: graph, catalog: catalog, options: ReplayOptions(deterministic: true), log: { _ in })
            XCTAssertEqual(try r.run().published, 12, name)
        }
    }

    func testAReplayThatFailsStopsTheGraphAndTheRecorderFirst() throws {
        let rec = path("cam.mcap")
        let (graph, catalog) = try recording(rec)
        // Rewrite the recording with the first depth message's CDR encapsulation broken (CRCs stay valid).
        let reader = try MCAPReader(path: rec)
        let bad = path("undecodable.mcap")
        let w = try MCAPWriter(path: bad)
        var ids: [UInt16: UInt16] = [:]
        for id in reader.channels.keys.sorted() {
            let c = reader.channels[id]!, s = reader.schemas[c.schemaID]!
            ids[id] = w.addChannel(topic: c.topic, schemaID: w.addSchema(name: s.name, encoding: s.encoding, data: s.data),
                                   messageEncoding: c.messageEncoding, metadata: c.metadata)
        }
        var broken = false
        for m in try reader.readAllMessages() {
            var d = m.data
            if !broken && reader.channels[m.channelID]?.topic == "/camera/depth" { d[0] ^= 0xFF; broken = true }
            try w.write(channel: ids[m.channelID]!, sequence: m.sequence, logTime: m.logTime, publishTime: m.publishTime, data: d)
        }
        try w.close()

        // A first run settles lazily created threads (Foundation, dispatch); later runs must add none.
        func failingRun(_ i: Int) {
            do {
                let r = try Replayer(input: bad, graph: graph, catalog: catalog,
                                     options: ReplayOptions(fast: true, output: path("o\(i).mcap")), log: { _ in })
                _ = try r.run()
                XCTFail("replay of an undecodable message succeeded")
            } catch {
                XCTAssertTrue("\(error)".contains("topic '/camera/depth' message 0: field 'encapsulation'"), "\(error)")
            }
        }
        failingRun(0)
        usleep(200_000)  // let the threads of the run before end
        let baseline = threadCount()
        for i in 1...8 {
            failingRun(i)
            XCTAssertLessThanOrEqual(settledThreadCount(atMost: baseline), baseline, "run \(i) left threads running")
        }
        // What the recorder wrote before the error is a complete file.
        XCTAssertNoThrow(try MCAPReader(path: path("o8.mcap")))
    }
}

/// Log lines collected from another thread.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
