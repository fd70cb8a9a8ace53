import Foundation
import HorusRecord
import HorusTestSupport
import XCTest

/// ROS 2 recordings through the horus-run binary: `record -o DIR/` (a rosbag2 directory),
/// `--encoding horus`, `info` on a directory, `replay --remap` of a bag into a graph that has
/// no producer for the bag's topics.
final class ROS2CLITests: XCTestCase {
    static let cameraGraph = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("graphs/camera_to_costmap.yaml").path

    func testBagDirectoryInfoAndRemappedReplay() throws {
        let ns = uniqueNamespace("ros2")
        let dir = NSTemporaryDirectory() + "horus-cli-ros2-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let rec = try horusRun(["record", Self.cameraGraph, "-o", dir + "/bag/", "--topics", "/camera/depth,/camera/pose",
                                "--duration", "1.0"], namespace: ns, timeout: 60)
        XCTAssertEqual(rec.status, 0, rec.stderr + rec.stdout)
        XCTAssertTrue(rec.stdout.contains("as sensor_msgs/msg/Image, cdr"), rec.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/bag/metadata.yaml"))
        let frames = try MCAPReader(path: dir + "/bag/bag_0.mcap").statistics.channelMessageCounts.values.min() ?? 0
        XCTAssertGreaterThan(frames, 0)

        let info = try horusRun(["info", dir + "/bag"], namespace: ns)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("profile:   ros2"), info.stdout)
        XCTAssertTrue(info.stdout.contains("/camera/depth: DepthImage or Image"), info.stdout)

        let horus = try horusRun(["record", Self.cameraGraph, "-o", dir + "/h.mcap", "--topics", "/camera/pose", "--duration", "0.5",
                                  "--encoding", "horus"], namespace: ns, timeout: 60)
        XCTAssertEqual(horus.status, 0, horus.stderr)
        XCTAssertEqual(try MCAPReader(path: dir + "/h.mcap").profile, "horus")
        let bad = try horusRun(["record", Self.cameraGraph, "-o", dir + "/x.mcap", "--encoding", "json"], namespace: ns)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("expected ros2 or horus"), bad.stderr)

        // A graph without a camera: its inputs are fed by the bag, under other names.
        let graph = try writeGraph("robot.yaml", """
        graph: robot
        nodes:
          - name: cloud
            type: depth_to_cloud
            params: {fx: 525.0, fy: 525.0, max_depth: 8.0}
            inputs: {depth: /robot/depth, pose: /robot/pose}
            outputs: {cloud: /cloud/raw}
          - name: costmap
            type: costmap_builder
            params: {resolution: 0.05, width: 200, height: 200, origin_x: 0.0, origin_y: -5.0}
            inputs: {cloud: /cloud/raw}
            outputs: {costmap: /map/costmap}

        """)
        let out = dir + "/maps.mcap"
        let r = try horusRun(["replay", dir + "/bag", "--graph", graph, "--deterministic", "--remap", "/camera/depth:=/robot/depth",
                              "--remap", "/camera/pose:=/robot/pose", "-o", out, "--output-topics", "/map/costmap"], namespace: ns, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("replaying /robot/depth, /robot/pose"), r.stdout)
        XCTAssertEqual(try MCAPReader(path: out).statistics.messageCount, frames)
        // Without the remap, the graph's inputs have no producer and the error says where.
        let unfed = try horusRun(["replay", dir + "/bag", "--graph", graph, "--deterministic"], namespace: ns)
        XCTAssertNotEqual(unfed.status, 0)
        XCTAssertTrue(unfed.stderr.contains("robot.yaml:") && unfed.stderr.contains("no node publishes"), unfed.stderr)
        XCTAssertTrue(shmFiles(namespace: ns).isEmpty, "\(shmFiles(namespace: ns))")
    }
}
