import Foundation
import HorusTestSupport
import XCTest

/// `horus-run bridge` between two network namespaces ("hosts"), each with its own HORUS_NAMESPACE:
/// host A's horus topics exported, imported in host B by another bridge and read there by horus
/// subscribers and by a non-horus DDS participant (Python cyclonedds with the ROS 2 IDL types).
final class BridgeTwoHostTests: XCTestCase {
    private var runPath: String { helperExecutable("horus-run").path }
    private var peerPath: String { helperExecutable("horus-bridge-peer").path }
    private var gridPeer: String { repositoryRoot.appendingPathComponent("Tests/HorusDDSTests/ros2_grid_peer.py").path }

    func testCostmapsAndDepthCrossHostsIntactAndPythonReadsTheGrid() throws {
        let h = try makeBridgeHosts()
        let dir = try temporaryDirectory(self)
        let go = dir.appendingPathComponent("go").path
        let costmaps = 20, frames = 300  // depth: 10 s at 30 Hz, 640x480 float32

        // Host A: publishers (waiting for `go`), a local subscriber, the exporting bridge.
        let pubCost = try h.inA([peerPath, "pub-costmap", "/map/costmap", "\(costmaps)", "100", go])
        let pubDepth = try h.inA([peerPath, "pub-depth", "/camera/depth", "\(frames)", "30", go])
        XCTAssertNotNil(pubCost.waitForLine("created", timeout: 30), "\(pubCost.lines)")
        XCTAssertNotNil(pubDepth.waitForLine("created", timeout: 30), "\(pubDepth.lines)")
        let localSub = try h.inA([peerPath, "sub-costmap", "/map/costmap", "\(costmaps)", "120"])
        XCTAssertNotNil(localSub.waitForLine("subscribed", timeout: 30), "\(localSub.lines)")
        let bridgeA = try h.inA([runPath, "bridge", "--export", "/map/costmap,/camera/depth", "--depth", "64", "--duration", "150"])

        // Host B: the importing bridge, horus subscribers, the Python ROS 2 reader.
        let bridgeB = try h.inB([runPath, "bridge", "--import", "/map/costmap:Costmap,/camera/depth:DepthImage", "--depth", "64", "--duration", "150"])
        XCTAssertNotNil(bridgeB.waitForLine("bridge domain 0", timeout: 30), "bridge B: \(bridgeB.lines)")
        let subCost = try h.inB([peerPath, "sub-costmap", "/map/costmap", "\(costmaps)", "120"])
        let subDepth = try h.inB([peerPath, "sub-depth", "/camera/depth", "\(frames)", "120"])
        let python = try h.inB(["python3", gridPeer, "receive", "--topic", "rt/map/costmap", "--count", "\(costmaps)", "--timeout", "120"])
        XCTAssertNotNil(subCost.waitForLine("subscribed", timeout: 30), "\(subCost.lines)")
        XCTAssertNotNil(subDepth.waitForLine("subscribed", timeout: 30), "\(subDepth.lines)")
        XCTAssertNotNil(python.waitForLine("ready", timeout: 30), "\(python.lines)")
        // Both DDS readers of rt/map/costmap (bridge B, Python) matched A's writer, and B's depth reader.
        XCTAssertTrue(waitUntil(60) { bridgeA.lines.contains { $0.hasPrefix("status export /map/costmap") && $0.hasSuffix("matched=2") } },
                      "bridge A: \(bridgeA.lines.suffix(6))")
        XCTAssertTrue(waitUntil(30) { bridgeA.lines.contains { $0.hasPrefix("status export /camera/depth") && $0.hasSuffix("matched=1") } },
                      "bridge A: \(bridgeA.lines.suffix(6))")

        // topics --remote in B sees A's publication with its ROS 2 type and the horus type it maps to.
        let remote = try h.inB([runPath, "topics", "--remote", "--listen", "3", "--json"])
        XCTAssertEqual(remote.finish(timeout: 30), 0, "\(remote.lines)")
        let json = try XCTUnwrap(remote.lines.first { $0.hasPrefix("[") }, "\(remote.lines)")
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let grid = try XCTUnwrap(entries.first { $0["ddsTopic"] as? String == "rt/map/costmap" && ($0["publications"] as? Int ?? 0) >= 1 }, json)
        XCTAssertEqual(grid["ddsType"] as? String, "nav_msgs::msg::dds_::OccupancyGrid_")
        XCTAssertEqual(grid["topic"] as? String, "/map/costmap")
        XCTAssertEqual(grid["horusTypes"] as? [String], ["Costmap"])

        FileManager.default.createFile(atPath: go, contents: nil)
        XCTAssertNotNil(localSub.waitForLine("result", timeout: 120), "\(localSub.lines.suffix(3))")
        XCTAssertNotNil(subCost.waitForLine("result", timeout: 120), "\(subCost.lines.suffix(3))")
        XCTAssertNotNil(subDepth.waitForLine("result", timeout: 150), "\(subDepth.lines.suffix(3)); bridge B: \(bridgeB.lines.suffix(4))")
        XCTAssertEqual(python.finish(timeout: 60), 0, "python: \(python.lines.suffix(3))")

        // Costmaps: B's subscriber saw exactly what A's local subscriber saw (stamp, cells+geometry+frame checksum, ROS 2 occupancy checksum).
        let local = localSub.lines.filter { $0.hasPrefix("costmap ") }, remoteMaps = subCost.lines.filter { $0.hasPrefix("costmap ") }
        XCTAssertEqual(local.count, costmaps, "\(localSub.lines.suffix(3))")
        XCTAssertEqual(remoteMaps, local, "host B's costmaps are host A's, byte for byte")
        let published = pubCost.lines.filter { $0.hasPrefix("published ") }.map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(published.count, costmaps)
        XCTAssertEqual(local, published.map { "costmap \($0[1]) \($0[2]) \($0[3]) 200x200 \($0[2])" }, "stable costs survive nav2's table")
        // Python decoded every grid with its own IDL type: same stamps and occupancy bytes.
        let grids = python.lines.filter { $0.hasPrefix("grid ") }
        XCTAssertEqual(grids, published.map { "grid \($0[1]) \($0[3]) 200x200 0.050 map" })

        // Depth on reliable QoS: every frame, in order, every pixel right.
        XCTAssertEqual(subDepth.lines.first { $0.hasPrefix("result") },
                       "result received=\(frames) bad=0 gaps=0 last=\(frames) dropped=0", "bridge B: \(bridgeB.lines.suffix(4))")

        bridgeA.finish(timeout: 0)  // SIGTERM: the bridge stops and prints its summary
        bridgeB.finish(timeout: 0)
        let sumA = bridgeA.lines.filter { $0.hasPrefix("summary ") }, sumB = bridgeB.lines.filter { $0.hasPrefix("summary ") }
        XCTAssertTrue(sumA.contains { $0.hasPrefix("summary export /camera/depth [DepthImage]") && $0.contains("msgs=\(frames) drops=0") }, "\(sumA)")
        XCTAssertTrue(sumA.contains { $0.hasPrefix("summary export /map/costmap [Costmap]") && $0.contains("msgs=\(costmaps) drops=0") }, "\(sumA)")
        XCTAssertTrue(sumB.contains { $0.hasPrefix("summary import /camera/depth [DepthImage]") && $0.contains("msgs=\(frames) drops=0 undecodable=0") }, "\(sumB)")
        XCTAssertTrue(sumB.contains { $0.hasPrefix("summary import /map/costmap [Costmap]") && $0.contains("msgs=\(costmaps) drops=0 undecodable=0") }, "\(sumB)")
        for p in [pubCost, pubDepth, localSub, subCost, subDepth] { p.finish(timeout: 20) }
    }

    func testUndecodableSamplesAreCountedAndDroppedWithTheField() throws {
        let h = try makeBridgeHosts()
        let bridge = try h.inB([runPath, "bridge", "--import", "/map/costmap:Costmap",
                                "--depth", "16", "--duration", "60"])
        XCTAssertNotNil(bridge.waitForLine("bridge domain 0", timeout: 30), "\(bridge.lines)")
        let python = try h.inA(["python3", gridPeer, "send-bad", "--topic", "rt/map/costmap", "--count", "5", "--timeout", "40"])
        XCTAssertEqual(python.finish(timeout: 60), 0, "\(python.lines)")
        XCTAssertTrue(waitUntil(10) { bridge.lines.contains { $0.hasPrefix("status import /map/costmap") && $0.contains("undecodable=5") } },
                      "\(bridge.lines.suffix(4))")
        bridge.finish(timeout: 0)
        let summary = try XCTUnwrap(bridge.lines.first { $0.hasPrefix("summary import /map/costmap") }, "\(bridge.lines.suffix(4))")
        XCTAssertTrue(summary.contains("msgs=0 drops=0 undecodable=5"), summary)
        XCTAssertTrue(summary.contains("last_error=\"field 'header.stamp.nanosec'"), "the codec's message names the field: \(summary)")
    }

    func testMissingDDSLibraryIsOneLineNamingTheBuildCommand() throws {
        let p = try NetnsProcess("/usr/bin/env", ["HORUS_DDS_LIBRARY=/nonexistent/libhorus_dds.so", runPath, "bridge", "--export", "/map/costmap"])
        XCTAssertEqual(p.finish(timeout: 30), 1)
        XCTAssertEqual(p.lines, ["DDS bridge: libhorus_dds.so not found (looked at /nonexistent/libhorus_dds.so): build it with `swift build -c release --product horus_dds` (needs apt-get install cyclonedds-dev)"])
    }

    func testBadBridgeArgumentsNameTheTopicAndValue() throws {
        for (args, message) in [
            (["--import", "/a:Tensor"], "topic '/a': type 'Tensor' has no ROS 2 mapping (bridgeable: Costmap, DepthImage, Image, PointCloud, Pose)"),
            (["--import", "/a:Costmap", "--export", "/a"], "topic '/a' is both imported and exported"),
            (["--export", "/a", "--depth", "0"], "topic '/a': depth 0 is not in 1...10000"),
            (["--export", "/a b"], "topic '/a b' cannot be bridged"),
            (["--domain", "300", "--export", "/a"], "domain 300 is not in 0...232"),
        ] {
            let p = try NetnsProcess(runPath, ["bridge"] + args)
            XCTAssertEqual(p.finish(timeout: 30), 64, "\(args): \(p.lines)")
            XCTAssertTrue(p.lines.contains { $0.contains(message) }, "\(args): \(p.lines)")
        }
    }
}
