import Foundation
import HorusTestSupport
import XCTest

/// The issue's two-host test as users meet it: the real graphs/camera_to_costmap.yaml runs with
/// `horus-run` in host A, next to a standalone `horus-run bridge` exporting /map/costmap and
/// /camera/depth (started first: it waits for the topics); host B's bridge imports them. Horus
/// subscribers in A (local) and B print a checksum per message, and B must see exactly A's
/// messages: every costmap and every depth frame the graph published (its JSON summary), reliable
/// QoS, no drop anywhere.
///
/// The graph runs with the debug `horus-run` next to the test bundle, where camera_sim's 640x480
/// ray casting takes ~150 ms a frame (the camera makes ~6 of its 30 Hz); with `HORUS_BIN_DIR` set
/// (a release build's bin path, as for the Python tests) the graph runs with that `horus-run`,
/// at the camera's 30 Hz. The bridges and subscribers are the debug builds either way.
final class BridgeCameraToCostmapTests: XCTestCase {
    private var runPath: String { helperExecutable("horus-run").path }
    /// The `horus-run` the graph runs with: `$HORUS_BIN_DIR/horus-run` if set, else the debug one.
    private var graphRunPath: String {
        ProcessInfo.processInfo.environment["HORUS_BIN_DIR"].map { URL(fileURLWithPath: $0).appendingPathComponent("horus-run").path } ?? runPath
    }
    private var peerPath: String { helperExecutable("horus-bridge-peer").path }
    private var graphPath: String { repositoryRoot.appendingPathComponent("graphs/camera_to_costmap.yaml").path }

    func testCameraToCostmapInHostAReachesHostBMessageForMessage() throws {
        let h = try makeBridgeHosts()
        let dir = try temporaryDirectory(self)
        let stop = dir.appendingPathComponent("stop").path
        // Reliable, depth 8: a depth frame is 1.2 MB, so the writer runs about one frame ahead of its
        // acknowledgements anyway (Cyclone's byte watermark); 8 untaken samples per reader are the
        // importer's slack for a burst of costmaps.
        let qos = ["--reliability", "reliable", "--depth", "8", "--duration", "150"]
        let subscriberArgs = ["1000000", "120", stop]

        // Host B: the importing bridge (it creates the topics), then its horus subscribers.
        let bridgeB = try h.inB([runPath, "bridge", "--import", "/map/costmap:Costmap,/camera/depth:DepthImage"] + qos)
        XCTAssertNotNil(bridgeB.waitForLine("bridge domain 0", timeout: 30), "bridge B: \(bridgeB.lines)")
        let costB = try h.inB([peerPath, "sub-costmap", "/map/costmap"] + subscriberArgs)
        let depthB = try h.inB([peerPath, "sub-depth-sums", "/camera/depth"] + subscriberArgs + ["0"])

        // Host A: the exporting bridge before the graph exists (it waits for the topics), then the
        // local subscribers, which create the rings with the graph's capacities (depth: 4; costmap:
        // the default), so the bridge opens them before the graph publishes anything.
        let bridgeA = try h.inA([runPath, "bridge", "--export", "/map/costmap,/camera/depth"] + qos)
        XCTAssertNotNil(bridgeA.waitForLine("status export /camera/depth waiting for the topic to appear", timeout: 30),
                        "bridge A waits for topics that do not exist yet: \(bridgeA.lines.suffix(4))")
        let costA = try h.inA([peerPath, "sub-costmap", "/map/costmap"] + subscriberArgs)
        let depthA = try h.inA([peerPath, "sub-depth-sums", "/camera/depth"] + subscriberArgs + ["4"])
        for s in [costB, depthB, costA, depthA] { XCTAssertNotNil(s.waitForLine("subscribed", timeout: 30), "\(s.lines)") }
        for topic in ["/map/costmap", "/camera/depth"] {
            XCTAssertTrue(waitUntil(60) { bridgeA.lines.contains { $0.hasPrefix("status export \(topic) ") && $0.hasSuffix("matched=1") } },
                          "bridge A opened \(topic) and matched B's reader: \(bridgeA.lines.suffix(4))")
            XCTAssertTrue(waitUntil(30) { bridgeB.lines.contains { $0.hasPrefix("status import \(topic) ") && $0.hasSuffix("matched=1") } },
                          "bridge B matched A's writer of \(topic): \(bridgeB.lines.suffix(4))")
        }

        // The graph, 10 s.
        let graph = try h.inA([graphRunPath, graphPath, "--duration", "10", "--json"])
        XCTAssertEqual(graph.finish(timeout: 90), 0, "graph: \(graph.lines.suffix(8))")
        let summary = try jsonObject(graph.lines)
        let camera = try summaryNode(summary, "camera"), costmap = try summaryNode(summary, "costmap")
        let frames = try XCTUnwrap(camera["ticks"] as? Int), costmaps = try XCTUnwrap(costmap["messagesOut"] as? Int)
        XCTAssertEqual(camera["messagesOut"] as? Int, 3 * frames, "one color image, depth image and pose per camera tick")
        let cameraHz = try XCTUnwrap(camera["achievedHz"] as? Double)
        print("camera_to_costmap in A: camera \(frames) ticks at \(String(format: "%.1f", cameraHz)) Hz, \(costmaps) costmaps")
        XCTAssertGreaterThan(frames, 0)
        XCTAssertGreaterThan(costmaps, 0)
        if graphRunPath != runPath {
            // The release graph: a real 640x480 stream (30 Hz asked; at least half of it kept
            // while the rest of the suite shares the two cores), so "no loss" is over hundreds of frames.
            XCTAssertGreaterThanOrEqual(frames, 150, "camera at \(cameraHz) Hz")
        }

        // Every message reaches both subscribers, then they stop.
        let costLines = { (p: NetnsProcess) in p.lines.filter { $0.hasPrefix("costmap ") } }
        let depthLines = { (p: NetnsProcess) in p.lines.filter { $0.hasPrefix("depth ") } }
        XCTAssertTrue(waitUntil(60) { costLines(costB).count >= costmaps && depthLines(depthB).count >= frames && costLines(costA).count >= costmaps
                          && depthLines(depthA).count >= frames },
                      "costmaps A/B \(costLines(costA).count)/\(costLines(costB).count) of \(costmaps), depth A/B \(depthLines(depthA).count)/\(depthLines(depthB).count) of \(frames)")
        sleep(1)  // anything beyond the graph's count would show now
        FileManager.default.createFile(atPath: stop, contents: nil)
        for s in [costB, depthB, costA, depthA] { XCTAssertEqual(s.finish(timeout: 20), 0, "\(s.lines.suffix(2))") }

        // A's local subscriber saw every message the graph published, and B saw the same ones.
        let mapsA = costLines(costA), mapsB = costLines(costB)
        XCTAssertEqual(mapsA.count, costmaps, "A's local subscriber got every costmap")
        XCTAssertEqual(costA.lines.last, "result received=\(costmaps) dropped=0")
        XCTAssertEqual(costB.lines.last, "result received=\(costmaps) dropped=0")
        // A costmap crosses DDS as a ROS 2 OccupancyGrid (nav2's table): the occupancy bytes are A's
        // exactly, and B's costs are A's costs put through the table (the inflated costs 1...252
        // share 98 occupancy values); stamps, geometry and frame id are A's.
        func fields(_ l: String) -> [String] { l.split(separator: " ").map(String.init) }
        XCTAssertEqual(mapsB.map { fields($0)[1] }, mapsA.map { fields($0)[1] }, "the same costmaps (stamps), in order")
        XCTAssertEqual(mapsB.map { fields($0)[3] }, mapsA.map { fields($0)[3] }, "the same occupancy bytes")
        XCTAssertEqual(mapsB.map { fields($0)[2] }, mapsA.map { fields($0)[5] }, "B's costs are A's through nav2's table")
        XCTAssertEqual(mapsB.map { fields($0)[5] }, mapsB.map { fields($0)[2] }, "B's costs are stable under the table")
        XCTAssertEqual(Set(mapsA.map { fields($0)[4] }), ["200x200"])
        let inflated = mapsA.filter { fields($0)[2] != fields($0)[5] }.count
        print("costmaps: \(mapsA.count) in A, \(mapsB.count) in B, \(inflated) with costs nav2's table merges")

        // Depth: every frame the camera made, pixel for pixel, in order, in both hosts.
        let framesA = depthLines(depthA), framesB = depthLines(depthB)
        XCTAssertEqual(framesA.count, frames, "A's local subscriber got every depth frame")
        XCTAssertEqual(framesB, framesA, "host B's depth frames are host A's (stamp, size, frame id, CRC-32 of the pixels)")
        XCTAssertEqual(Set(framesA.map { fields($0)[2] }), ["640x480"])
        XCTAssertEqual(depthA.lines.last, "result received=\(frames) dropped=0")
        XCTAssertEqual(depthB.lines.last, "result received=\(frames) dropped=0")

        // Both bridges: every message moved, nothing dropped or undecodable.
        bridgeA.finish(timeout: 0)
        bridgeB.finish(timeout: 0)
        let sums = bridgeA.lines.filter { $0.hasPrefix("summary ") } + bridgeB.lines.filter { $0.hasPrefix("summary ") }
        print(sums.joined(separator: "\n"))
        for (prefix, count) in [("summary export /map/costmap [Costmap]", costmaps), ("summary export /camera/depth [DepthImage]", frames),
                                ("summary import /map/costmap [Costmap]", costmaps), ("summary import /camera/depth [DepthImage]", frames)] {
            let line = try XCTUnwrap(sums.first { $0.hasPrefix(prefix) }, "\(sums)")
            XCTAssertEqual(numberField("msgs", line), count, line)
            XCTAssertEqual(numberField("drops", line), 0, line)
            if prefix.hasPrefix("summary import") { XCTAssertEqual(numberField("undecodable", line), 0, line) }
            XCTAssertFalse(line.contains("last_error"), line)
        }
    }
}
