import Foundation
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run GRAPH --view` and `horus-run view` against the Python `websockets` client.
/// Channels are ROS 2 CDR (ros2msg schemas), decoded by mcap-ros2-support as Foxglove would.
final class ViewCLITests: XCTestCase {
    static let client = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HorusViewTests/Scripts/foxglove_client.py").path

    /// The port in "view: Foxglove WebSocket server on ws://127.0.0.1:PORT".
    private func viewPort(_ p: CLIProcess) throws -> Int {
        XCTAssertTrue(p.waitFor("Foxglove WebSocket server on ws://127.0.0.1:", timeout: 60), p.stderrText)
        let tail = try XCTUnwrap(p.stderrText.components(separatedBy: "ws://127.0.0.1:").last)
        return try XCTUnwrap(Int(tail.prefix { $0.isNumber }))
    }

    private func checkCostmapAndDepth(port: Int, expectTopics: [String]) throws {
        let py = try ChildProcess(url: URL(fileURLWithPath: "/usr/bin/env"), ["python3", Self.client, "horus", "\(port)", "/map/costmap", "/camera/depth"])
        XCTAssertEqual(py.value(after: "SUBSCRIBED"), "2")
        let text = try XCTUnwrap(py.value(after: "RESULT"))
        let r = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(py.wait(), 0)
        XCTAssertEqual(r["topics"] as? [String], expectTopics)
        // Every topic of the graph has a ROS 2 mapping: all advertised as ros2msg / cdr.
        let channels = try XCTUnwrap(r["channels"] as? [String: [String]])
        XCTAssertEqual(channels["/camera/color"], ["sensor_msgs/msg/Image", "ros2msg", "cdr"])
        XCTAssertEqual(channels["/camera/pose"], ["geometry_msgs/msg/PoseStamped", "ros2msg", "cdr"])
        XCTAssertEqual(channels["/cloud/voxels"], ["sensor_msgs/msg/PointCloud2", "ros2msg", "cdr"])
        let seen = try XCTUnwrap(r["seen"] as? [String: [String: Any]])
        // Decoded by mcap-ros2-support's decoder generated from the advertised schema text.
        let map = try XCTUnwrap(seen["/map/costmap"]), depth = try XCTUnwrap(seen["/camera/depth"])
        XCTAssertEqual(map["schemaName"] as? String, "nav_msgs/msg/OccupancyGrid")
        XCTAssertEqual(depth["schemaName"] as? String, "sensor_msgs/msg/Image")
        for m in [map, depth] {
            XCTAssertEqual(m["schemaEncoding"] as? String, "ros2msg")
            XCTAssertEqual(m["messageEncoding"] as? String, "cdr")
            XCTAssertGreaterThan(m["stamp_ns"] as? Int ?? 0, 0)
        }
        XCTAssertEqual(map["frame_id"] as? String, "world")
        XCTAssertEqual(map["width"] as? Int, 200)
        XCTAssertEqual(map["height"] as? Int, 200)
        XCTAssertEqual(try XCTUnwrap(map["resolution"] as? Double), 0.05, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(map["origin"] as? [Double]), [0.0, -5.0])
        XCTAssertEqual(map["data_len"] as? Int, 200 * 200)
        // nav2's table: free 0 -> 0, inflated 1...252 -> 1...98, inscribed 99, lethal 254 -> 100, unknown 255 -> -1.
        let values = try XCTUnwrap(map["values"] as? [String: Int])
        let occupancies = Set(values.keys.compactMap { Int($0) })
        XCTAssertTrue(occupancies.allSatisfy { (-1...100).contains($0) }, "\(values)")
        for v in [-1, 0, 100] { XCTAssertGreaterThan(values["\(v)"] ?? 0, 0, "occupancy \(v) in \(values)") }
        XCTAssertEqual(values.values.reduce(0, +), 200 * 200)
        XCTAssertEqual(depth["frame_id"] as? String, "camera_optical")
        XCTAssertEqual(depth["width"] as? Int, 160)
        XCTAssertEqual(depth["height"] as? Int, 120)
        XCTAssertEqual(depth["encoding"] as? String, "32FC1")
        XCTAssertEqual(depth["is_bigendian"] as? Int, 0)
        XCTAssertEqual(depth["step"] as? Int, 160 * 4)
        XCTAssertEqual(depth["data_len"] as? Int, 160 * 120 * 4)
    }

    static let allTopics = ["/camera/color", "/camera/depth", "/camera/pose", "/cloud/raw", "/cloud/voxels", "/map/costmap"]

    func testRunWithViewServesTheGraphsTopics() throws {
        let ns = uniqueNamespace("runview")
        let graph = try CLIProcess("horus-run", [try SnapshotCLITests.smallCameraGraph(), "--duration", "60", "--view", "127.0.0.1:0"], namespace: ns)
        let port = try viewPort(graph)
        try checkCostmapAndDepth(port: port, expectTopics: Self.allTopics)
        let r = interrupted(graph)
        XCTAssertTrue(r.stdout.contains("view: ws://127.0.0.1:\(port): 6 topics, 1 client"), r.stdout)
        XCTAssertTrue(r.stdout.contains("/map/costmap sent "), r.stdout)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testViewCommandServesTheLiveTopicsOfARunningGraph() throws {
        let ns = uniqueNamespace("view")
        let graph = try CLIProcess("horus-run", [try SnapshotCLITests.smallCameraGraph(), "--duration", "60"], namespace: ns)
        XCTAssertTrue(graph.waitFor("running camera_to_costmap", timeout: 60), graph.stderrText)
        let view = try CLIProcess("horus-run", ["view", "127.0.0.1:0", "--duration", "60"], namespace: ns)
        let port = try viewPort(view)
        try checkCostmapAndDepth(port: port, expectTopics: Self.allTopics)
        let v = interrupted(view)
        XCTAssertTrue(v.stderr.contains("view: serving /map/costmap [Costmap]"), v.stderr)
        XCTAssertTrue(v.stdout.contains("6 topics, 1 client"), v.stdout)
        _ = interrupted(graph)
        XCTAssertEqual(shmFiles(namespace: ns), [])

        let bad = try horusRun(["view", "nowhere:x"], namespace: ns)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("bad view address 'nowhere:x'"), bad.stderr)
    }

    /// `horus-run view` advertises a topic when its first publisher appears and unadvertises
    /// it when the publishing process exits, seen by the `websockets` client across processes.
    func testViewCommandAdvertisesTopicsThatAppearAndUnadvertisesThoseThatVanish() throws {
        let ns = uniqueNamespace("viewgone")
        let view = try CLIProcess("horus-run", ["view", "127.0.0.1:0", "--duration", "120"], namespace: ns)
        let port = try viewPort(view)
        // The view's pump thread and event loop run at nice 19, the main thread at 0.
        let pid = view.process.processIdentifier
        let end = Date().addingTimeInterval(20)
        while Date() < end, Self.threadNice(pid, named: "horus-view") != [19] || Self.threadNice(pid, named: "NIO-ELT") != [19] { usleep(20_000) }
        XCTAssertEqual(Self.threadNice(pid, named: "horus-view"), [19])
        XCTAssertEqual(Self.threadNice(pid, named: "NIO-ELT"), [19])
        XCTAssertEqual(Set(Self.threadNice(pid, named: "horus-run")), [0], "the main thread keeps its priority")
        let py = try ChildProcess(url: URL(fileURLWithPath: "/usr/bin/env"), ["python3", Self.client, "vanish", "\(port)", "/map/costmap"])
        XCTAssertEqual(py.value(after: "READY"), "[]")
        let graph = try CLIProcess("horus-run", [try SnapshotCLITests.smallCameraGraph(), "--duration", "60"], namespace: ns)
        let id = try XCTUnwrap(py.value(after: "ADVERTISED"))
        // One OccupancyGrid frame: its 200 x 200 cells plus header and map metadata.
        XCTAssertGreaterThan(Int(py.value(after: "RECEIVED") ?? "") ?? 0, 200 * 200)
        _ = interrupted(graph)
        XCTAssertEqual(py.value(after: "UNADVERTISED"), id)
        XCTAssertEqual(py.value(after: "AFTER"), "0")
        XCTAssertEqual(py.wait(), 0)
        let v = interrupted(view)
        XCTAssertTrue(v.stderr.contains("view: serving /map/costmap [Costmap]"), v.stderr)
        XCTAssertTrue(v.stderr.contains("view: no longer serving /map/costmap (no publisher)"), v.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    /// Stops `p` with SIGINT and checks that it exited cleanly.
    private func interrupted(_ p: CLIProcess, file: StaticString = #filePath, line: UInt = #line) -> RunResult {
        p.signal(SIGINT)
        let r = p.finish(timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r
    }

    /// The nice values of `pid`'s threads whose name starts with `prefix` (/proc/PID/task/TID/stat field 19).
    static func threadNice(_ pid: Int32, named prefix: String) -> [Int] {
        let dir = "/proc/\(pid)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().compactMap { tid in
            guard let comm = try? String(contentsOfFile: "\(dir)/\(tid)/comm", encoding: .utf8), comm.hasPrefix(prefix),
                  let stat = try? String(contentsOfFile: "\(dir)/\(tid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 16 ? Int(fields[16]) : nil
        }
    }
}
