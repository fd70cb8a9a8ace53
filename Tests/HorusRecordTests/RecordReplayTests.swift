import HorusMessages
import Foundation
import HorusGraph
import HorusMemory
import HorusNodes
import HorusTestSupport
import HorusTopics
import XCTest
@testable import HorusRecord
#if canImport(Glibc)
import Glibc
#endif

/// Recording graphs, replaying them (threaded and deterministic), comparing, recovering.
final class RecordReplayTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let graphPath = repo.appendingPathComponent("graphs/camera_to_costmap.yaml").path
    var dir: URL!

    override func setUp() {
        setenv("HORUS_NAMESPACE", "hrr\(getpid())", 1)
        dir = try! MCAPTestSupport.temporaryDirectory(name)
        BuiltinNodes.registerMessageTypes()
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Decodes every message of a horus recording with the third-party `mcap` package and
    /// the documented header layout (docs/recording-format.md).
    static let pythonScript = #"""
import sys, json, struct
from mcap.reader import make_reader
out = {"topics": {}, "schemas": {}}
with open(sys.argv[1], "rb") as f:
    reader = make_reader(f, validate_crcs=True)
    for schema, channel, message in reader.iter_messages(log_time_order=True):
        out["schemas"][schema.name] = [schema.encoding, json.loads(schema.data)["horus_type"]]
        t = out["topics"].setdefault(channel.topic, {"count": 0, "encoding": channel.message_encoding, "shapes": [], "ok": True})
        t["count"] += 1
        d = message.data
        if json.loads(schema.data)["format"] == "horus-plain/1":
            fields = json.loads(schema.data)["fields"]
            ts = [fl for fl in fields if fl["name"] == "timestamp_ns"][0]
            t["ok"] = t["ok"] and struct.unpack_from("<Q", d, ts["offset"])[0] == message.log_time
            continue
        magic, version, hsize, kind, dtype, ndim, enc = struct.unpack_from("<IHHBBBB", d, 0)
        shape = list(struct.unpack_from("<6I", d, 16))[:ndim]
        strides = list(struct.unpack_from("<6q", d, 40))[:ndim]
        ts, = struct.unpack_from("<Q", d, 88)
        nbytes, = struct.unpack_from("<Q", d, 120)
        size = [1,1,2,2,4,4,8,8,2,4,8,1][dtype]
        n = 1
        for s in shape: n *= s
        expect = []
        acc = 1
        for s in reversed(shape): expect.insert(0, acc); acc *= s
        t["ok"] = t["ok"] and magic == 0x63655248 and hsize == 160 and nbytes == n * size and len(d) == hsize + nbytes \
            and strides == expect and ts == message.log_time and message.publish_time == message.log_time
        t["shapes"].append(shape)
print(json.dumps(out))
"""#

    func python(_ file: String) throws -> [String: Any] {
        let script = path("decode.py")
        try Self.pythonScript.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try runCommand(["python3", script, file])
        if r.status != 0, r.err.contains("No module named") { throw XCTSkip("python mcap missing") }
        XCTAssertEqual(r.status, 0, r.err)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    /// Records the shipped graph for three camera frames (wall clock, real scheduler).
    func recordGraph(_ out: String, topics: [String]? = nil, encoding: RecordEncoding = .horus) throws -> Recorder.Summary {
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: Self.graphPath, registry: catalog.registry)
        return try RecordSession.run(graph: graph, catalog: catalog, output: out, topics: topics, duration: 20, ticks: 3,
                                     encoding: encoding, log: { _ in })
    }

    func testFormatRoundTripsEveryType() throws {
        let pool = try Pool.open(name: "rt")
        let img = try Image(height: 4, width: 5, encoding: .rgb8, pool: pool, timestampNs: 42, frameID: "cam")
        for i in 0..<img.nbytes { img.bytes[i] = UInt8(i & 255) }
        func bytes(_ s: RecordedSample) -> [UInt8] { s.header + Array(s.payload) }
        let ib = bytes(img.recordedSample())
        XCTAssertEqual(ib.count, 160 + 60)
        let img2 = try ib.withUnsafeBytes { try Image.fromRecorded($0, pool: pool) }
        XCTAssertEqual(Array(img2.bytes), Array(img.bytes))
        XCTAssertEqual(img2.timestampNs, 42)
        XCTAssertEqual(img2.frameID, "cam")
        // A strided view is written contiguously.
        let t = try Tensor(copying: (0..<12).map { Float($0) }, shape: [3, 4])
        let tv = t.permuted([1, 0])
        let tb = bytes(tv.recordedSample())
        let t2 = try tb.withUnsafeBytes { try Tensor.fromRecorded($0, pool: pool) }
        XCTAssertEqual(Array(t2.shape), [4, 3])
        XCTAssertEqual(t2.withUnsafeBufferPointer(as: Float.self) { Array($0) }, [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        let pose = Pose(x: 1, y: 2, z: 3, yaw: 0.5, timestampNs: 7)
        let pb = bytes(pose.recordedSample())
        XCTAssertEqual(pb.count, MemoryLayout<Pose>.size)
        XCTAssertEqual(try pb.withUnsafeBytes { try Pose.fromRecorded($0, pool: pool) }, pose)
        let map = try Costmap(geometry: CostmapGeometry(width: 8, height: 6, resolution: 0.1, originX: 1, originY: -2), pool: pool, timestampNs: 9)
        map.bytes[5] = 254
        let mb = bytes(map.recordedSample())
        let map2 = try mb.withUnsafeBytes { try Costmap.fromRecorded($0, pool: pool) }
        XCTAssertEqual(map2.geometry, map.geometry)
        XCTAssertEqual(Array(map2.bytes), Array(map.bytes))
        XCTAssertThrowsError(try ib.withUnsafeBytes { try DepthImage.fromRecorded($0, pool: pool) })
        XCTAssertThrowsError(try Array(ib.prefix(200)).withUnsafeBytes { try Image.fromRecorded($0, pool: pool) })
    }

    func testRecordGraphReadByPythonAndInfo() throws {
        let out = path("run.mcap")
        let summary = try recordGraph(out)
        XCTAssertEqual(summary.dropped, 0)
        for t in ["/camera/color", "/camera/depth", "/camera/pose", "/map/costmap", "/cloud/raw", "/cloud/voxels"] {
            XCTAssertEqual(summary.topics.first { $0.topic == t }?.written, 3, t)
        }
        let info = try MCAPInfo(path: out)
        XCTAssertEqual(info.messageCount, 18)
        XCTAssertEqual(info.topics.map(\.schemaName).sorted(),
                       ["horus.Costmap", "horus.DepthImage", "horus.Image", "horus.PointCloud", "horus.PointCloud", "horus.Pose"])
        XCTAssertTrue(info.formattedTable().contains("/camera/depth"))
        let py = try python(out)
        let topics = try XCTUnwrap(py["topics"] as? [String: [String: Any]])
        XCTAssertEqual(topics.count, 6)
        for (name, t) in topics {
            XCTAssertEqual(t["count"] as? Int, 3, name)
            XCTAssertEqual(t["ok"] as? Bool, true, "python decode of \(name)")
            XCTAssertEqual(t["encoding"] as? String, "horus")
        }
        XCTAssertEqual((topics["/camera/color"]?["shapes"] as? [[Int]])?.first, [480, 640, 3])
        XCTAssertEqual((topics["/camera/depth"]?["shapes"] as? [[Int]])?.first, [480, 640])
        XCTAssertEqual((topics["/map/costmap"]?["shapes"] as? [[Int]])?.first, [200, 200])
        let schemas = try XCTUnwrap(py["schemas"] as? [String: [String]])
        XCTAssertEqual(schemas["horus.Image"], ["horus", "Image"])
    }

    func testDeterministicReplayIsByteIdenticalAndComparable() throws {
        let rec = path("cam.mcap")
        _ = try recordGraph(rec, topics: ["/camera/color", "/camera/depth", "/camera/pose"])
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: Self.graphPath, registry: catalog.registry)
        var outs: [String] = []
        for i in 0..<2 {
            let o = path("out\(i).mcap")
            let r = try Replayer(input: rec, graph: graph, catalog: catalog,
                                 options: { var opts = ReplayOptions(deterministic: true, output: o); opts.outputEncoding = .horus; return opts }(), log: { _ in })
            XCTAssertEqual(r.replacedNodes, ["camera"])
            let s = try r.run()
            XCTAssertEqual(s.published, 9)
            XCTAssertEqual(s.graphDrops, 0)
            XCTAssertEqual(s.recording?.topics.first { $0.topic == "/map/costmap" }?.written, 3)
            outs.append(o)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: outs[0])), b = try Data(contentsOf: URL(fileURLWithPath: outs[1]))
        XCTAssertEqual(a, b, "two deterministic replays give byte-identical recordings")
        XCTAssertGreaterThan(a.count, 100_000)

        let same = try Comparer.compare(expected: outs[0], actual: outs[1])
        XCTAssertTrue(same.matches, same.formatted)
        XCTAssertEqual(same.topics.map(\.topic), ["/cloud/raw", "/cloud/voxels", "/map/costmap"])

        // Perturb one float of the voxel cloud and one byte of a map.
        let golden = try MCAPReader(path: outs[0])
        func rewrite(_ to: String, _ edit: (String, inout [UInt8]) -> Void) throws {
            let w = try MCAPWriter(path: to)
            var chans: [UInt16: UInt16] = [:]
            for id in golden.channels.keys.sorted() {
                let c = golden.channels[id]!, s = golden.schemas[c.schemaID]!
                let sid = w.addSchema(name: s.name, encoding: s.encoding, data: s.data)
                chans[id] = w.addChannel(topic: c.topic, schemaID: sid, messageEncoding: c.messageEncoding, metadata: c.metadata)
            }
            for m in try golden.readAllMessages() {
                var d = m.data
                edit(golden.channels[m.channelID]!.topic, &d)
                try w.write(channel: chans[m.channelID]!, sequence: m.sequence, logTime: m.logTime, publishTime: m.publishTime, data: d)
            }
            try w.close()
        }
        let floats = path("floats.mcap")
        try rewrite(floats) { topic, d in
            if topic == "/cloud/voxels" {
                d.withUnsafeMutableBytes { p in
                    let v = p.load(fromByteOffset: 160, as: Float.self)
                    p.storeBytes(of: v + 1e-4, toByteOffset: 160, as: Float.self)
                }
            }
        }
        let strict = try Comparer.compare(expected: outs[0], actual: floats, tolerance: 0)
        XCTAssertFalse(strict.matches)
        XCTAssertEqual(strict.topics.first { $0.topic == "/cloud/voxels" }?.mismatchedMessages, 3)
        XCTAssertTrue(strict.topics.first { $0.topic == "/map/costmap" }!.matches)
        let loose = try Comparer.compare(expected: outs[0], actual: floats, tolerance: 1e-3)
        XCTAssertTrue(loose.matches, loose.formatted)

        let ints = path("ints.mcap")
        try rewrite(ints) { topic, d in if topic == "/map/costmap" { d[160 + 1234] ^= 1 } }
        let intReport = try Comparer.compare(expected: outs[0], actual: ints, tolerance: 10)
        XCTAssertFalse(intReport.matches, "integer data is compared exactly")
        XCTAssertEqual(intReport.topics.first { $0.topic == "/map/costmap" }?.matches, false)

        // Fewer messages: counts differ.
        let cut = path("cut.mcap")
        let r = try Replayer(input: rec, graph: graph, catalog: catalog,
                             options: { var opts = ReplayOptions(end: 0.04, deterministic: true, output: cut); opts.outputEncoding = .horus; return opts }(), log: { _ in })
        _ = try r.run()
        let short = try Comparer.compare(expected: outs[0], actual: cut)
        XCTAssertFalse(short.matches)
        XCTAssertLessThan(short.topics[0].actualCount, 3)
    }

    func testFastThreadedReplayDropsNothing() throws {
        let rec = path("cam.mcap")
        _ = try recordGraph(rec, topics: ["/camera/color", "/camera/depth", "/camera/pose"])
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: Self.graphPath, registry: catalog.registry)
        let out = path("fast.mcap")
        let r = try Replayer(input: rec, graph: graph, catalog: catalog,
                             options: ReplayOptions(fast: true, loop: true, loops: 3, output: out, outputTopics: ["/map/costmap"]), log: { _ in })
        let s = try r.run()
        XCTAssertEqual(s.published, 27)
        XCTAssertEqual(s.graphDrops, 0)
        XCTAssertEqual(s.recording?.topics.first?.written, 9)
        XCTAssertEqual(s.recording?.dropped, 0)
        // The graph clock followed recorded time: the maps carry the recorded stamps.
        let maps = try MCAPReader(path: out).readAllMessages()
        XCTAssertEqual(maps.count, 9)
    }

    func testRealTimeReplayFollowsRecordedTiming() throws {
        let rec = path("cam.mcap")
        _ = try recordGraph(rec, topics: ["/camera/color", "/camera/depth", "/camera/pose"])
        let span = try MCAPInfo(path: rec).durationSeconds
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: Self.graphPath, registry: catalog.registry)
        let r = try Replayer(input: rec, graph: graph, catalog: catalog, options: ReplayOptions(rate: 0.5), log: { _ in })
        let s = try r.run()
        XCTAssertEqual(s.published, 9)
        XCTAssertGreaterThanOrEqual(s.wallSeconds, span / 0.5 * 0.9)
    }

    func testRecorderCountsWhatItLoses() throws {
        let out = path("lossy.mcap")
        let pool = try Pool.open(name: "lossy")
        let rec = try Recorder(path: out, topics: [.init(name: "/lossy/img", typeName: "Image", capacity: 4)])
        let warnings = WarningSink()
        rec.onWarning = { warnings.add($0) }
        let pub = try Publisher<Image>(topic: "/lossy/img", capacity: 4)
        for i in 0..<10 { try pub.publish(Image(height: 8, width: 8, encoding: .mono8, pool: pool, timestampNs: UInt64(i + 1))) }
        XCTAssertEqual(try rec.drain(), 4)
        let s = try rec.stop()
        XCTAssertEqual(s.topics[0].written, 4)
        XCTAssertEqual(s.dropped, 6)
        XCTAssertTrue(warnings.lines.contains { $0.contains("cannot keep up") && $0.contains("6") }, "\(warnings.lines)")
        XCTAssertEqual(try MCAPReader(path: out).readAllMessages().map(\.logTime), [7, 8, 9, 10])
    }

    /// What survives SIGKILL is exactly what write(2) put in the file: a snapshot of the
    /// file taken while the recorder is still writing (never closed) is that state.
    func testUnclosedRecordingKeepsCompleteChunksAndRecovers() throws {
        let out = path("live.mcap")
        let pool = try Pool.open(name: "crash")
        let rec = try Recorder(path: out, topics: [.init(name: "/crash/img", typeName: "Image", capacity: 64)], encoding: .horus, chunkSize: 64 << 10)
        let pub = try Publisher<Image>(topic: "/crash/img", capacity: 64)
        for i in 0..<50 {
            let img = try Image(height: 64, width: 64, encoding: .rgb8, pool: pool, timestampNs: UInt64(i + 1) * 1_000_000)
            try pub.publish(img)
            try rec.drain()
        }
        let snapshot = path("killed.mcap")
        try FileManager.default.copyItem(atPath: out, toPath: snapshot)
        let reader = try MCAPReader(path: snapshot)
        XCTAssertTrue(reader.isTruncated)
        let survived = try reader.readAllMessages()
        // ~12.5 KB messages, 64 KiB chunks: every complete chunk (6 messages each) survives,
        // only the chunk being filled is lost.
        XCTAssertEqual(survived.count % 6, 0)
        XCTAssertTrue((42..<50).contains(survived.count), "\(survived.count)")
        XCTAssertEqual(survived.map(\.logTime), (1...UInt64(survived.count)).map { $0 * 1_000_000 })
        let fixed = path("recovered.mcap")
        let r = try MCAPRecovery.recover(input: snapshot, output: fixed)
        XCTAssertEqual(r.messageCount, UInt64(survived.count))
        XCTAssertFalse(try MCAPReader(path: fixed).isTruncated)
        let py = try python(fixed)
        XCTAssertEqual((py["topics"] as? [String: [String: Any]])?["/crash/img"]?["count"] as? Int, survived.count)
        _ = try rec.stop()
        XCTAssertEqual(try MCAPReader(path: out).readAllMessages().count, 50)
    }
}

final class WarningSink: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    func add(_ s: String) { lock.lock(); _lines.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return _lines }
}
