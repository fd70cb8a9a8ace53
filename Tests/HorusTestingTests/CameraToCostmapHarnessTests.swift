import HorusMessages
import Foundation
import HorusGraph
import HorusMemory
import HorusNodes
import HorusRecord
import HorusTesting
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// camera_to_costmap through the deterministic harness: the known scene gives a known map.
final class CameraToCostmapHarnessTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let graphPath = repo.appendingPathComponent("graphs/camera_to_costmap.yaml").path
    var dir: URL!

    override func setUp() {
        setenv("HORUS_NAMESPACE", "hth\(getpid())", 1)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("horus-harness-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func assertKnownMap(_ map: Costmap, file: StaticString = #filePath, line: UInt = #line) {
        func strongest(nearX x: Float, y: Float) -> UInt8 {
            stride(from: x - 0.08, through: x + 0.08, by: 0.02).compactMap { map.cost(x: $0, y: y) }.max() ?? 0
        }
        XCTAssertEqual(strongest(nearX: 2.75, y: 0.8), CostmapCost.lethal, file: file, line: line)
        XCTAssertEqual(strongest(nearX: 3.6, y: -1.2), CostmapCost.lethal, file: file, line: line)
        XCTAssertEqual(strongest(nearX: 5.2, y: 0.2), CostmapCost.lethal, file: file, line: line)
        XCTAssertEqual(map.cost(x: 4.5, y: 0.0), CostmapCost.free, file: file, line: line)
        XCTAssertEqual(map.cost(x: 0.3, y: 4.5), CostmapCost.unknown, file: file, line: line)
        let lethal = map.bytes.filter { $0 == CostmapCost.lethal }.count
        XCTAssertTrue((100..<600).contains(lethal), "lethal cells \(lethal)", file: file, line: line)
    }

    /// Nothing replaced: the camera ticks on graph time; three frames give three maps.
    func testSteppedGraphBuildsTheKnownMap() throws {
        let h = try PipelineHarness(graphPath: Self.graphPath, replacing: [], collect: ["/map/costmap", "/cloud/raw"])
        for _ in 0..<3 { h.advance(by: 1.0 / 30) }
        XCTAssertEqual(h.count("/map/costmap"), 3)
        XCTAssertEqual(h.count("/cloud/raw"), 3)
        XCTAssertEqual(h.drops, 0)
        // Each map carries its camera frame's (graph-clock) time, one period apart.
        let ts = h.timestamps("/map/costmap")
        XCTAssertEqual(ts.count, 3)
        for (a, b) in zip(ts, ts.dropFirst()) { XCTAssertEqual(Double(b - a) / 1e9, 1.0 / 30, accuracy: 1e-6) }
        assertKnownMap(try XCTUnwrap(h.last("/map/costmap", as: Costmap.self)))
    }

    /// The camera replaced by a recording of its own output: same maps, byte for byte.
    func testRecordingReplacesTheCameraAndGivesTheSameMaps() throws {
        let live = try PipelineHarness(graphPath: Self.graphPath, replacing: [], collect: ["/camera/color", "/camera/depth", "/camera/pose", "/map/costmap"])
        for _ in 0..<2 { live.advance(by: 0.1) }
        let rec = dir.appendingPathComponent("camera.mcap").path
        try live.writeRecording(to: rec, topics: ["/camera/color", "/camera/depth", "/camera/pose"])
        let liveMaps = live.collected("/map/costmap").map(\.bytes)
        XCTAssertEqual(liveMaps.count, 2)

        let replay = try PipelineHarness(graphPath: Self.graphPath, collect: ["/map/costmap"])
        XCTAssertEqual(replay.replacedNodes, ["camera"])
        XCTAssertEqual(try replay.replay(recording: rec), 6)
        XCTAssertEqual(replay.count("/map/costmap"), 2)
        XCTAssertEqual(replay.collected("/map/costmap").map(\.bytes), liveMaps)
        assertKnownMap(try XCTUnwrap(replay.last("/map/costmap", as: Costmap.self)))
    }

    /// The same with the camera's output in a ROS 2 (CDR) recording, as `horus-run record` writes it.
    func testROS2RecordingReplacesTheCameraAndGivesTheSameMaps() throws {
        let live = try PipelineHarness(graphPath: Self.graphPath, replacing: [], collect: ["/camera/color", "/camera/depth", "/camera/pose", "/map/costmap"])
        for _ in 0..<2 { live.advance(by: 0.1) }
        let rec = dir.appendingPathComponent("camera_ros2.mcap").path
        let w = try MCAPWriter(path: rec, profile: "ros2")
        var rows: [(UInt64, UInt16, [UInt8])] = []
        for (topic, type) in [("/camera/color", "Image"), ("/camera/depth", "DepthImage"), ("/camera/pose", "Pose")] {
            let codec = try XCTUnwrap(MessageCodecRegistry.shared.codecs(type)?.ros2)
            let sid = w.addSchema(name: codec.typeName, encoding: "ros2msg", data: Array(codec.definition.utf8))
            let cid = w.addChannel(topic: topic, schemaID: sid, messageEncoding: "cdr")
            for c in live.collected(topic) {
                let message = try XCTUnwrap(c.message, "collected sample without its message")
                var b = [UInt8](repeating: 0, count: try codec.encodedSize(message))
                _ = try b.withUnsafeMutableBytes { try codec.encode(message, $0) }
                rows.append((c.timestampNs, cid, b))
            }
        }
        for (t, cid, b) in rows.sorted(by: { $0.0 < $1.0 }) { try w.write(channel: cid, sequence: 0, logTime: t, publishTime: t, data: b) }
        try w.close()
        let replay = try PipelineHarness(graphPath: Self.graphPath, collect: ["/map/costmap"])
        XCTAssertEqual(try replay.replay(recording: rec), 6)
        XCTAssertEqual(replay.collected("/map/costmap").map(\.bytes), live.collected("/map/costmap").map(\.bytes))
    }

    /// Injected messages: a synthetic depth image of a wall 3 m ahead gives a lethal line at x = 3.
    func testInjectedDepthImage() throws {
        let h = try PipelineHarness(graphPath: Self.graphPath, collect: ["/map/costmap", "/cloud/raw"])
        let t: UInt64 = 5_000_000_000
        // Camera at 1 m height looking level: a wall at 3 m fills the image with depth 3.
        let depth = try DepthImage(height: 480, width: 640, unit: .meters, pool: h.pool, timestampNs: t, frameID: "camera_optical")
        depth.asTensor().withUnsafeMutableBufferPointer(as: Float.self) { for i in $0.indices { $0[i] = 3.0 } }
        let pose = Pose(x: 0, y: 0, z: 1, yaw: 0, pitch: 0, timestampNs: t)
        try h.inject([(topic: "/camera/pose", message: pose), (topic: "/camera/depth", message: depth)], at: t)
        XCTAssertEqual(h.count("/cloud/raw"), 1)
        XCTAssertEqual(h.count("/map/costmap"), 1)
        let map = try XCTUnwrap(h.last("/map/costmap", as: Costmap.self))
        XCTAssertEqual(map.timestampNs, t)
        XCTAssertEqual(map.cost(x: 3.01, y: 0), CostmapCost.lethal)
    }
}
