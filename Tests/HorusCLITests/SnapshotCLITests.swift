import Foundation
import HorusMessages
import HorusPicture
import HorusRecord
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run snapshot` as a subprocess: PNGs of live topics of the running main graph
/// and of messages in a recording of it, read back with libpng.
final class SnapshotCLITests: XCTestCase {
    private func tempDir(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "horus-cli-snap-\(getpid())-\(tag)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// camera_to_costmap with a 160x120 camera (same field of view): the same scene and
    /// costmap at a sixteenth of the work, so these tests load a shared machine less.
    static func smallCameraGraph() throws -> String {
        let text = try String(contentsOfFile: RecordCLITests.cameraGraph, encoding: .utf8)
            .replacingOccurrences(of: "width: 640", with: "width: 160").replacingOccurrences(of: "height: 480", with: "height: 120")
            .replacingOccurrences(of: "525.0", with: "131.25")
        return try writeGraph("camera_to_costmap_small.yaml", text)
    }

    private func colours(_ p: RGBPicture, rows: Range<Int>) -> Set<RGB> {
        var s = Set<RGB>()
        for y in rows { for x in 0..<p.width { s.insert(p[x, y]) } }
        return s
    }

    func testSnapshotsOfLiveTopicsOfTheMainGraph() throws {
        let ns = uniqueNamespace("snap")
        let dir = try tempDir("live")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let graph = try CLIProcess("horus-run", [try Self.smallCameraGraph(), "--duration", "60"], namespace: ns)

        let costmap = dir + "/costmap.png"
        // The topic appears once the graph has started: retry while it is not there yet.
        var r = try horusRun(["snapshot", "/map/costmap", "-o", costmap, "--timeout", "40"], namespace: ns)
        let end = Date().addingTimeInterval(40)
        while r.status != 0, r.stderr.contains("no live topic"), Date() < end {
            usleep(200_000)
            r = try horusRun(["snapshot", "/map/costmap", "-o", costmap, "--timeout", "40"], namespace: ns)
        }
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("/map/costmap: Costmap 200x200 -> \(costmap) (400x442 PNG)"), r.stdout)
        let map = try PNGFile.read(costmap)
        XCTAssertEqual(map.width, 400)
        let grid = colours(map, rows: 0..<400)
        for c in [CostmapPicture.free, CostmapPicture.lethal, CostmapPicture.unknown, CostmapPicture.inscribed] {
            XCTAssertTrue(grid.contains(c), "the costmap of three boxes shows \(c)")
        }
        // origin_x 0, origin_y -5: the world origin is on the left edge, half way up.
        XCTAssertEqual(map[4, 200], CostmapPicture.xAxis)

        let depth = dir + "/depth.png"
        let d = try horusRun(["snapshot", "/camera/depth", "-o", depth, "--timeout", "20"], namespace: ns)
        XCTAssertEqual(d.status, 0, d.stderr)
        let dp = try PNGFile.read(depth)
        XCTAssertEqual(dp.width, 320, "160 columns enlarged 2x for the legend")
        XCTAssertEqual(dp[160, 2], DepthPicture.noData, "sky: no depth")
        XCTAssertNotEqual(dp[160, 235], DepthPicture.noData, "ground in front of the camera")
        XCTAssertGreaterThan(dp.height, 240, "legend band")

        let color = dir + "/color.png"
        XCTAssertEqual(try horusRun(["snapshot", "/camera/color", "-o", color], namespace: ns).status, 0)
        let cp = try PNGFile.read(color)
        XCTAssertEqual(cp.width * cp.height, 160 * 120)
        XCTAssertGreaterThan(cp[80, 2].b, cp[80, 2].r, "blue sky at the top")

        let pose = try horusRun(["snapshot", "/camera/pose", "-o", dir + "/pose.png"], namespace: ns)
        XCTAssertEqual(pose.status, 1)
        XCTAssertTrue(pose.stderr.contains("topic '/camera/pose' carries Pose: snapshot draws Image, DepthImage, PointCloud and Costmap"), pose.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/pose.png"))

        graph.signal(SIGINT)
        XCTAssertEqual(graph.finish(timeout: 30).status, 0)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testSnapshotOfARecordingDrawsTheMessageAtTheGivenTime() throws {
        let ns = uniqueNamespace("snaprec")
        let dir = try tempDir("rec")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rec = dir + "/run.mcap"
        let r = try horusRun(["record", try Self.smallCameraGraph(), "-o", rec, "--duration", "3", "--encoding", "horus"], namespace: ns, timeout: 90)
        XCTAssertEqual(r.status, 0, r.stderr)

        let out = dir + "/depth.png"
        let s = try horusRun(["snapshot", rec, "--topic", "/camera/depth", "--at", "0.5", "-o", out], namespace: ns)
        XCTAssertEqual(s.status, 0, s.stderr)

        // The same message picked independently: the first /camera/depth at or after start + 0.5 s.
        let reader = try MCAPReader(path: rec)
        let channel = try XCTUnwrap(reader.channels.values.first { $0.topic == "/camera/depth" })
        let target = reader.statistics.messageStartTime + 500_000_000
        var record: [UInt8]?
        try reader.forEachMessage { m in
            if record == nil, m.channelID == channel.id, m.logTime >= target { record = Array(m.data) }
        }
        let bytes = try XCTUnwrap(record, "the recording reaches 0.5 s")
        let expected = try bytes.withUnsafeBytes { b -> RGBPicture in
            let h = try RecordFormat.Header.decode(b)
            XCTAssertEqual(h.shape, [120, 160])
            return try DepthPicture.render(width: 160, height: 120, unit: .meters,
                                           bytes: UnsafeRawBufferPointer(rebasing: b[RecordFormat.headerSize...]))
        }
        XCTAssertEqual(try PNGFile.read(out), expected, "the PNG is the picture of exactly that message")

        let map = dir + "/map.png"
        XCTAssertEqual(try horusRun(["snapshot", rec, "--topic", "/map/costmap", "--at", "99", "-o", map], namespace: ns).status, 0,
                       "past the end: the last message")
        XCTAssertEqual(try PNGFile.read(map).width, 400)

        let missing = try horusRun(["snapshot", rec, "--topic", "/nope", "-o", dir + "/x.png"], namespace: ns)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("has no topic '/nope' (topics: /camera/color, /camera/depth"), missing.stderr)
        let noTopic = try horusRun(["snapshot", rec, "-o", dir + "/x.png"], namespace: ns)
        XCTAssertNotEqual(noTopic.status, 0)
        XCTAssertTrue(noTopic.stderr.contains("a recording needs --topic TOPIC"), noTopic.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    /// The default recording encoding (ROS 2 CDR), in an MCAP file and in a rosbag2 directory.
    func testSnapshotOfACDRRecordingAndARosbag2Directory() throws {
        let ns = uniqueNamespace("snapcdr")
        let dir = try tempDir("cdr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rec = dir + "/run.mcap"
        let r = try horusRun(["record", try Self.smallCameraGraph(), "-o", rec, "--duration", "3"], namespace: ns, timeout: 90)
        XCTAssertEqual(r.status, 0, r.stderr)

        let out = dir + "/depth.png"
        let s = try horusRun(["snapshot", rec, "--topic", "/camera/depth", "--at", "0.5", "-o", out], namespace: ns)
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stdout.contains("/camera/depth: DepthImage 120x160 meters t=+"), s.stdout)
        let shown = s.stdout.components(separatedBy: "t=+").last.flatMap { Double($0.prefix { $0.isNumber || $0 == "." }) }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(shown, s.stdout), 0.5, "the first depth message at or after +0.5 s")

        // The same message picked independently; a 32FC1 sensor_msgs/msg/Image ends with its
        // data sequence, so its last 160 x 120 x 4 bytes are the pixels.
        let reader = try MCAPReader(path: rec)
        let channel = try XCTUnwrap(reader.channels.values.first { $0.topic == "/camera/depth" })
        XCTAssertEqual(channel.messageEncoding, "cdr")
        let target = reader.statistics.messageStartTime + 500_000_000
        var message: [UInt8]?
        try reader.forEachMessage { m in
            if message == nil, m.channelID == channel.id, m.logTime >= target { message = Array(m.data) }
        }
        let cdr = try XCTUnwrap(message, "the recording reaches 0.5 s")
        XCTAssertNotNil(String(decoding: cdr, as: UTF8.self).range(of: "32FC1"))
        let pixels = Array(cdr.suffix(160 * 120 * 4))
        let expected = try pixels.withUnsafeBytes { try DepthPicture.render(width: 160, height: 120, unit: .meters, bytes: $0) }
        XCTAssertEqual(try PNGFile.read(out), expected, "the PNG is the picture of exactly that message")

        let bag = dir + "/bag"
        let b = try horusRun(["record", try Self.smallCameraGraph(), "-o", bag + "/", "--duration", "2"], namespace: ns, timeout: 90)
        XCTAssertEqual(b.status, 0, b.stderr)
        let map = dir + "/map.png"
        let m = try horusRun(["snapshot", bag, "--topic", "/map/costmap", "--at", "99", "-o", map], namespace: ns)
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertTrue(m.stdout.contains("/map/costmap: Costmap 200x200"), m.stdout)
        XCTAssertEqual(try PNGFile.read(map).width, 400)

        let missing = try horusRun(["snapshot", bag, "--topic", "/nope", "-o", dir + "/x.png"], namespace: ns)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("has no topic '/nope' (topics: /camera/color, /camera/depth"), missing.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }
}
