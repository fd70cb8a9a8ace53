import Foundation
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run GRAPH --view` and `horus-run view` against the Python `websockets` client.
/// The channels carry horus record bytes for now (temporary, until the ROS 2 codecs).
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
        let seen = try XCTUnwrap(r["seen"] as? [String: [String: Any]])
        let map = try XCTUnwrap(seen["/map/costmap"]), depth = try XCTUnwrap(seen["/camera/depth"])
        for m in [map, depth] {
            XCTAssertEqual(m["magic"] as? Int, 0x6365_5248, "a horus record")
            XCTAssertEqual(m["complete"] as? Bool, true, "header + the whole payload")
            XCTAssertEqual(m["encoding"] as? String, "horus")
        }
        XCTAssertEqual(map["kind"] as? Int, 16)
        XCTAssertEqual(map["shape"] as? [Int], [200, 200])
        XCTAssertEqual(map["schemaName"] as? String, "horus.Costmap")
        XCTAssertEqual(depth["kind"] as? Int, 3)
        XCTAssertEqual(depth["shape"] as? [Int], [120, 160])
    }

    static let allTopics = ["/camera/color", "/camera/depth", "/camera/pose", "/cloud/raw", "/cloud/voxels", "/map/costmap"]

    func testRunWithViewServesTheGraphsTopics() throws {
        let ns = uniqueNamespace("runview")
        let graph = try CLIProcess("horus-run", [try SnapshotCLITests.smallCameraGraph(), "--duration", "60", "--view", "127.0.0.1:0"], namespace: ns)
        let port = try viewPort(graph)
        try checkCostmapAndDepth(port: port, expectTopics: Self.allTopics)
        graph.signal(SIGINT)
        let r = graph.finish(timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
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
        view.signal(SIGINT)
        let v = view.finish(timeout: 30)
        XCTAssertEqual(v.status, 0, v.stderr)
        XCTAssertTrue(v.stderr.contains("view: serving /map/costmap [Costmap]"), v.stderr)
        XCTAssertTrue(v.stdout.contains("6 topics, 1 client"), v.stdout)
        graph.signal(SIGINT)
        let g = graph.finish(timeout: 30)
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])

        let bad = try horusRun(["view", "nowhere:x"], namespace: ns)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("bad view address 'nowhere:x'"), bad.stderr)
    }
}
