@testable import HorusMessages
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

/// ROS 2 recordings checked with the real third-party tools (mcap-ros2-support, rosbags), and
/// bags written by rosbags replayed through a horus graph.
final class ROS2InteropTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var dir: URL!

    override func setUp() {
        setenv("HORUS_NAMESPACE", "hri\(getpid())", 1)
        dir = try! MCAPTestSupport.temporaryDirectory(name)
        BuiltinNodes.registerMessageTypes()
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs a Python script (installing mcap-ros2-support and rosbags with pip if missing); returns stdout.
    func python(_ script: String, _ args: [String]) throws -> String {
        if try runCommand(["python3", "-c", "import mcap_ros2.decoder, rosbags.rosbag2"]).status != 0 {
            let pip = try runCommand(["python3", "-m", "pip", "install", "--quiet", "mcap", "mcap-ros2-support", "rosbags"])
            XCTAssertEqual(pip.status, 0, "pip install mcap-ros2-support rosbags: \(pip.err)")
        }
        let file = path("script\(script.hashValue & 0xffff).py")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runCommand(["python3", file] + args)
        XCTAssertEqual(r.status, 0, r.err)
        return r.out
    }

    // MARK: - Every message of a horus ROS 2 recording, decoded by mcap-ros2-support

    static let decodeScript = #"""
import sys, json, zlib, struct
from mcap.reader import make_reader
from mcap_ros2.decoder import DecoderFactory
def bits(v): return struct.unpack("<Q", struct.pack("<d", v))[0]
out = {"profile": None, "messages": []}
with open(sys.argv[1], "rb") as f:
    reader = make_reader(f, decoder_factories=[DecoderFactory()], validate_crcs=True)
    out["profile"] = reader.get_header().profile
    for schema, channel, message, m in reader.iter_decoded_messages(log_time_order=False):
        row = [channel.topic, schema.name, schema.encoding, channel.message_encoding, message.log_time]
        if hasattr(m, "header"):
            row += [m.header.stamp.sec, m.header.stamp.nanosec, m.header.frame_id]
        if schema.name == "sensor_msgs/msg/Image":
            row += [m.height, m.width, m.encoding, m.is_bigendian, m.step, zlib.crc32(bytes(m.data))]
        elif schema.name == "sensor_msgs/msg/PointCloud2":
            row += [m.height, m.width, [[x.name, x.offset, x.datatype, x.count] for x in m.fields], m.point_step, m.row_step,
                    zlib.crc32(bytes(m.data)), int(m.is_dense)]
        elif schema.name == "nav_msgs/msg/OccupancyGrid":
            i = m.info
            row += [bits(i.resolution), i.width, i.height, bits(i.origin.position.x), bits(i.origin.position.y),
                    bits(i.origin.orientation.w), zlib.crc32(bytes([v & 0xFF for v in m.data]))]
        elif schema.name == "geometry_msgs/msg/PoseStamped":
            p, q = m.pose.position, m.pose.orientation
            row += [bits(p.x), bits(p.y), bits(p.z), bits(q.x), bits(q.y), bits(q.z), bits(q.w)]
        out["messages"].append(row)
print(json.dumps(out))
"""#

    /// The row the script prints for `m`, computed from the horus sample.
    func expectedRow(topic: String, _ m: Any) -> [AnyHashable] {
        func bits(_ d: Double) -> AnyHashable { AnyHashable(Int(bitPattern: UInt(d.bitPattern))) }
        func crc(_ p: UnsafeRawPointer, _ n: Int) -> AnyHashable { AnyHashable(Int(MCAPCRC32.checksum(UnsafeRawBufferPointer(start: p, count: n)))) }
        func head(_ schema: String, _ ts: UInt64, _ frame: String) -> [AnyHashable] {
            [topic, schema, "ros2msg", "cdr", Int(ts), Int(ts / 1_000_000_000), Int(ts % 1_000_000_000), frame]
        }
        switch m {
        case let i as Image:
            return head("sensor_msgs/msg/Image", i.timestampNs, i.frameID) +
                [i.height, i.width, i.encoding.description, 0, i.nbytes / i.height, crc(i.bytes.baseAddress!, i.nbytes)]
        case let d as DepthImage:
            return head("sensor_msgs/msg/Image", d.timestampNs, d.frameID) +
                [d.height, d.width, d.unit == .meters ? "32FC1" : "16UC1", 0, d.nbytes / d.height, crc(d.asTensor().baseAddress, d.nbytes)]
        case let c as PointCloud:
            let names = c.format == .xyz ? ["x", "y", "z"] : c.format == .xyzi ? ["x", "y", "z", "intensity"] : ["x", "y", "z", "rgb"]
            let fields: [AnyHashable] = names.enumerated().map { [AnyHashable($0.element), AnyHashable(4 * $0.offset), 7, 1] as [AnyHashable] }
            let step = 4 * c.format.fieldCount
            return head("sensor_msgs/msg/PointCloud2", c.timestampNs, c.frameID) +
                [1, c.count, fields, step, step * c.count, crc(c.asTensor().baseAddress, c.nbytes), 0]
        case let map as Costmap:
            let occ = map.bytes.map { UInt8(bitPattern: Costmap.occupancyOfCost[Int($0)]) }
            return head("nav_msgs/msg/OccupancyGrid", map.timestampNs, map.frameID) +
                [bits(Double(map.geometry.resolution)), map.geometry.width, map.geometry.height, bits(Double(map.geometry.originX)),
                 bits(Double(map.geometry.originY)), bits(1.0), occ.withUnsafeBytes { crc($0.baseAddress!, $0.count) }]
        case let p as Pose:
            let q = ROS2Pose.quaternion(yaw: p.yaw, pitch: p.pitch, roll: p.roll)
            return head("geometry_msgs/msg/PoseStamped", p.timestampNs, "world") +
                [bits(p.x), bits(p.y), bits(p.z), bits(q.x), bits(q.y), bits(q.z), bits(q.w)]
        default:
            XCTFail("no expectation for \(type(of: m))")
            return []
        }
    }

    /// Converts JSON arrays to AnyHashable recursively (numbers to Int when integral, strings, bools).
    func hashable(_ v: Any) -> AnyHashable {
        if let a = v as? [Any] { return AnyHashable(a.map(hashable)) }
        if let n = v as? NSNumber { return AnyHashable(n.intValue) }
        return AnyHashable(v as! String)
    }

    func testEveryMessageDecodesWithMcapROS2BitForBitAndReadsBackAsRecorded() throws {
        let pool = try smallPool("ros2rec", classes: [(4096, 64), (1 << 20, 8)])
        let topics: [Recorder.TopicSpec] = [
            .init(name: "/t/color", typeName: "Image"), .init(name: "/t/mono16", typeName: "Image"),
            .init(name: "/t/depth", typeName: "DepthImage"), .init(name: "/t/depthmm", typeName: "DepthImage"),
            .init(name: "/t/cloud", typeName: "PointCloud"), .init(name: "/t/rgbcloud", typeName: "PointCloud"),
            .init(name: "/t/map", typeName: "Costmap"), .init(name: "/t/pose", typeName: "Pose"),
        ]
        let ros2 = try Recorder(path: path("ros2.mcap"), topics: topics, encoding: .ros2)
        let horus = try Recorder(path: path("horus.mcap"), topics: topics, encoding: .horus)
        let color = try Publisher<Image>(topic: "/t/color"), mono = try Publisher<Image>(topic: "/t/mono16")
        let depth = try Publisher<DepthImage>(topic: "/t/depth"), depthmm = try Publisher<DepthImage>(topic: "/t/depthmm")
        let cloud = try Publisher<PointCloud>(topic: "/t/cloud"), rgb = try Publisher<PointCloud>(topic: "/t/rgbcloud")
        let map = try Publisher<Costmap>(topic: "/t/map"), pose = try Publisher<Pose>(topic: "/t/pose")
        var expected: [[AnyHashable]] = []
        for k in 0..<3 {
            let ts = 1_700_000_000_000_000_000 + UInt64(k) * 33_333_333
            let c = try Image(height: 6, width: 8, encoding: .rgb8, pool: pool, timestampNs: ts, frameID: "cam")
            for i in 0..<c.nbytes { c.bytes[i] = UInt8(truncatingIfNeeded: i * 31 + k) }
            let m = try Image(height: 4, width: 3, encoding: .mono16, pool: pool, timestampNs: ts, frameID: "ir")
            for i in 0..<m.nbytes { m.bytes[i] = UInt8(truncatingIfNeeded: i * 17 + k) }
            let d = try DepthImage(height: 4, width: 6, unit: .meters, pool: pool, timestampNs: ts, frameID: "depth")
            for y in 0..<4 { for x in 0..<6 { d.setDepth(x: x, y: y, meters: 0.5 + Float(x * 7 + y + k) * 0.013) } }
            let dm = try DepthImage(height: 2, width: 5, unit: .millimeters, pool: pool, timestampNs: ts, frameID: "depth")
            for i in 0..<10 { dm.asTensor().baseAddress.storeBytes(of: UInt16(1000 + i * 3 + k), toByteOffset: 2 * i, as: UInt16.self) }
            var pc = try PointCloud(format: .xyzi, copying: (0..<20).map { Float($0 + k) * 0.37 }, pool: pool)
            pc.timestampNs = ts; pc.frameID = "world"
            let colors: [Float] = (0..<4).flatMap { i -> [Float] in [Float(i), -Float(i), 1.5, Float(bitPattern: UInt32(0x00FF_8000 + i + k))] }
            var pr = try PointCloud(format: .xyzrgb, copying: colors, pool: pool)
            pr.timestampNs = ts; pr.frameID = "world"
            let g = try Costmap(geometry: CostmapGeometry(width: 5, height: 3, resolution: 0.05, originX: -1.25, originY: 0.5), pool: pool,
                                timestampNs: ts, frameID: "map")
            for (i, v) in [0, 253, 254, 255, 128, 0, 0, 254, 255, 255, 1, 252, 0, 253, 254].enumerated() { g.bytes[i] = UInt8(v) }
            let p = Pose(x: 1.5 + Double(k), y: -0.25, z: 1.0, yaw: 0.3 * Double(k), pitch: 0.35, roll: 0.01, timestampNs: ts)
            try color.publish(c); try mono.publish(m); try depth.publish(d); try depthmm.publish(dm)
            try cloud.publish(pc); try rgb.publish(pr); try map.publish(g); try pose.publish(p)
            expected += [expectedRow(topic: "/t/color", c), expectedRow(topic: "/t/mono16", m), expectedRow(topic: "/t/depth", d),
                         expectedRow(topic: "/t/depthmm", dm), expectedRow(topic: "/t/cloud", pc), expectedRow(topic: "/t/rgbcloud", pr),
                         expectedRow(topic: "/t/map", g), expectedRow(topic: "/t/pose", p)]
            try ros2.drain()
            try horus.drain()
        }
        _ = try ros2.stop()
        _ = try horus.stop()

        let out = try python(Self.decodeScript, [path("ros2.mcap")])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual(json["profile"] as? String, "ros2")
        let rows = try XCTUnwrap(json["messages"] as? [[Any]]).map { $0.map(hashable) }
        XCTAssertEqual(rows.count, 24)
        func key(_ r: [AnyHashable]) -> String { "\(r[0])|\(r[4])" }
        let got = Dictionary(uniqueKeysWithValues: rows.map { (key($0), $0) })
        for e in expected { XCTAssertEqual(got[key(e)], e, "message on \(e[0]) at \(e[4])") }

        // Read back by horus, the ROS 2 recording equals the horus one (the same samples), exactly.
        // Pose goes through a quaternion: equal to rounding (1e-12 rad), the rest bit for bit.
        let exact = topics.map(\.name).filter { $0 != "/t/pose" }
        let report = try Comparer.compare(expected: path("horus.mcap"), actual: path("ros2.mcap"), tolerance: 0, topics: exact)
        XCTAssertTrue(report.matches, report.formatted)
        XCTAssertEqual(report.topics.map(\.expectedCount), .init(repeating: 3, count: 7))
        let poses = try Comparer.compare(expected: path("horus.mcap"), actual: path("ros2.mcap"), tolerance: 1e-12, topics: ["/t/pose"])
        XCTAssertTrue(poses.matches, poses.formatted)
    }

    // MARK: - rosbag2 directory, opened by rosbags

    static let rosbagsReadScript = #"""
import sys, json
from rosbags.rosbag2 import Reader
from rosbags.typesys import Stores, get_typestore
ts = get_typestore(Stores.ROS2_HUMBLE)
out = {}
with Reader(sys.argv[1]) as r:
    for conn, t, raw in r.messages():
        m = ts.deserialize_cdr(raw, conn.msgtype)
        e = out.setdefault(conn.topic, {"type": conn.msgtype, "count": 0})
        e["count"] += 1
        if conn.msgtype == "sensor_msgs/msg/Image": e["size"] = [int(m.height), int(m.width), m.encoding, len(m.data)]
        if conn.msgtype == "nav_msgs/msg/OccupancyGrid": e["size"] = [int(m.info.width), int(m.info.height), int((m.data == 100).sum())]
        if conn.msgtype == "sensor_msgs/msg/PointCloud2": e["size"] = [int(m.width), int(m.point_step), len(m.data)]
    out["_count"] = r.message_count
print(json.dumps(out))
"""#

    func testRosbag2DirectoryOpensWithRosbags() throws {
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: Self.repo.appendingPathComponent("graphs/camera_to_costmap.yaml").path, registry: catalog.registry)
        let bag = path("bag") + "/"
        let s = try RecordSession.run(graph: graph, catalog: catalog, output: bag, topics: nil, duration: 20, ticks: 2, log: { _ in })
        XCTAssertEqual(s.messages, 12)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("bag/metadata.yaml")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("bag/bag_0.mcap")))
        let out = try python(Self.rosbagsReadScript, [path("bag")])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual(json["_count"] as? Int, 12)
        let depth = try XCTUnwrap(json["/camera/depth"] as? [String: Any])
        XCTAssertEqual(depth["type"] as? String, "sensor_msgs/msg/Image")
        XCTAssertEqual(depth["count"] as? Int, 2)
        XCTAssertEqual(depth["size"] as? [AnyHashable], [480, 640, "32FC1", 480 * 640 * 4])
        let map = try XCTUnwrap(json["/map/costmap"] as? [String: Any])
        XCTAssertEqual(map["type"] as? String, "nav_msgs/msg/OccupancyGrid")
        let size = try XCTUnwrap(map["size"] as? [Int])
        XCTAssertEqual(Array(size.prefix(2)), [200, 200])
        XCTAssertGreaterThan(size[2], 0, "the boxes are lethal (100) in the ROS grid")
        XCTAssertEqual((json["/camera/pose"] as? [String: Any])?["type"] as? String, "geometry_msgs/msg/PoseStamped")
        XCTAssertEqual(((json["/cloud/raw"] as? [String: Any])?["size"] as? [Int])?[1], 12, "xyz points: 3 float32")
        // The chunk CRCs (computed while the CDR bulk arrays were copied) verify.
        let crcs = try python("""
        import sys
        from mcap.reader import make_reader
        with open(sys.argv[1], "rb") as f:
            print(sum(1 for _ in make_reader(f, validate_crcs=True).iter_messages()))
        """, [path("bag/bag_0.mcap")])
        XCTAssertEqual(crcs.trimmingCharacters(in: .whitespacesAndNewlines), "12")
        // horus reads the directory back.
        let source = try RecordingSource(path: path("bag"))
        XCTAssertEqual(source.channels.first { $0.topic == "/camera/depth" }?.typeNames, ["DepthImage", "Image"])
        XCTAssertNil(source.unsupportedNote)
    }

    // MARK: - A bag written by rosbags, replayed through a horus graph

    /// Writes a rosbag2 (MCAP) directory: 32FC1 depth frames, poses, and a LaserScan horus does not decode.
    static let rosbagsWriteScript = #"""
import sys
import numpy as np
from rosbags.rosbag2 import Writer
from rosbags.rosbag2.enums import StoragePlugin
from rosbags.typesys import Stores, get_typestore
ts = get_typestore(Stores.ROS2_HUMBLE)
Image = ts.types["sensor_msgs/msg/Image"]; Header = ts.types["std_msgs/msg/Header"]; Time = ts.types["builtin_interfaces/msg/Time"]
PoseStamped = ts.types["geometry_msgs/msg/PoseStamped"]; Pose = ts.types["geometry_msgs/msg/Pose"]
Point = ts.types["geometry_msgs/msg/Point"]; Quaternion = ts.types["geometry_msgs/msg/Quaternion"]
LaserScan = ts.types["sensor_msgs/msg/LaserScan"]
W, H, N = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with Writer(sys.argv[1], version=9, storage_plugin=StoragePlugin.MCAP) as w:
    dc = w.add_connection("/robot/depth/image_raw", Image.__msgtype__, typestore=ts)
    pc = w.add_connection("/robot/pose", PoseStamped.__msgtype__, typestore=ts)
    sc = w.add_connection("/robot/scan", LaserScan.__msgtype__, typestore=ts)
    for k in range(N):
        t = 1_000_000_000 + k * 100_000_000
        stamp = Time(sec=t // 10**9, nanosec=t % 10**9)
        pose = PoseStamped(header=Header(stamp=stamp, frame_id="world"),
                           pose=Pose(position=Point(x=0.25 * k, y=0.0, z=1.0), orientation=Quaternion(x=0.0, y=0.0, z=0.0, w=1.0)))
        w.write(pc, t, ts.serialize_cdr(pose, pose.__msgtype__))
        y, x = np.mgrid[0:H, 0:W]
        mm = (1500 + (x * 3 + y * 2 + k * 50) % 2500).astype(np.float32)
        depth = (mm / np.float32(1000.0)).astype("<f4")
        depth[: H // 8, :] = np.float32(0.0)
        img = Image(header=Header(stamp=stamp, frame_id="depth_cam"), height=H, width=W, encoding="32FC1",
                    is_bigendian=0, step=W * 4, data=np.frombuffer(depth.tobytes(), dtype=np.uint8))
        w.write(dc, t, ts.serialize_cdr(img, img.__msgtype__))
        scan = LaserScan(header=Header(stamp=stamp, frame_id="laser"), angle_min=0.0, angle_max=1.0, angle_increment=0.5,
                         time_increment=0.0, scan_time=0.1, range_min=0.1, range_max=10.0,
                         ranges=np.array([1.0, 2.0, 3.0], dtype=np.float32), intensities=np.array([], dtype=np.float32))
        w.write(sc, t, ts.serialize_cdr(scan, scan.__msgtype__))
"""#

    static let robotGraph = """
    graph: robot_bag_to_costmap
    nodes:
      - name: cloud
        type: depth_to_cloud
        trigger: depth
        params: {fx: 140.0, fy: 140.0, max_depth: 8.0}
        inputs:
          depth: /robot/depth
          pose: /robot/pose
        outputs:
          cloud: /cloud/raw
      - name: downsample
        type: downsampler
        trigger: cloud
        params: {leaf_size: 0.05}
        inputs:
          cloud: /cloud/raw
        outputs:
          cloud: /cloud/voxels
      - name: costmap
        type: costmap_builder
        trigger: cloud
        params: {resolution: 0.05, width: 200, height: 200, origin_x: 0.0, origin_y: -5.0, min_obstacle_z: 0.1,
                 max_obstacle_z: 2.0, inscribed_radius: 0.2, inflation_radius: 0.5}
        inputs:
          cloud: /cloud/voxels
        outputs:
          costmap: /map/costmap

    """

    func testRosbagsDepthBagReplaysThroughTheGraphLikeTheFramesThemselves() throws {
        let (w, h, n) = (160, 120, 4)
        let bag = path("robot_bag")
        _ = try python(Self.rosbagsWriteScript, [bag, "\(w)", "\(h)", "\(n)"])
        let graphFile = path("robot.yaml")
        try Self.robotGraph.write(toFile: graphFile, atomically: true, encoding: .utf8)
        let catalog = try BuiltinNodes.catalog()
        let remaps = try RecordingSource.parseRemaps(["/robot/depth/image_raw:=/robot/depth"])
        let source = try RecordingSource(path: bag, remaps: remaps)
        let graph = try GraphLoader.loadValidated(path: graphFile, registry: catalog.registry, externalTopics: source.externalTopics)

        // The same frames, made here, recorded in the horus encoding, run through the same graph.
        let pool = try smallPool("frames", classes: [(4096, 16), (1 << 20, 8)])
        let direct = path("frames.mcap")
        let rec = try Recorder(path: direct, topics: [.init(name: "/robot/depth", typeName: "DepthImage"), .init(name: "/robot/pose", typeName: "Pose")],
                               encoding: .horus)
        let dp = try Publisher<DepthImage>(topic: "/robot/depth"), pp = try Publisher<Pose>(topic: "/robot/pose")
        for k in 0..<n {
            let t = UInt64(1_000_000_000 + k * 100_000_000)
            try pp.publish(Pose(x: 0.25 * Double(k), y: 0, z: 1.0, timestampNs: t))
            let d = try DepthImage(height: h, width: w, unit: .meters, pool: pool, timestampNs: t, frameID: "depth_cam")
            for y in 0..<h { for x in 0..<w {
                let mm = Float(1500 + (x * 3 + y * 2 + k * 50) % 2500)
                d.setDepth(x: x, y: y, meters: y < h / 8 ? 0 : mm / 1000)
            } }
            try dp.publish(d)
            try rec.drain()
        }
        _ = try rec.stop()

        func replay(_ input: String, remaps: [String: String], out: String) throws -> (ReplaySummary, [String]) {
            let lines = WarningSink()
            var o = ReplayOptions(deterministic: true, output: out, outputTopics: ["/map/costmap"])
            o.remaps = remaps
            o.outputEncoding = .horus
            let r = try Replayer(input: input, graph: graph, catalog: catalog, options: o, log: { lines.add($0) })
            XCTAssertEqual(r.replayedTopics, ["/robot/depth", "/robot/pose"])
            XCTAssertEqual(r.replacedNodes, [], "no node produced the bag's topics")
            return (try r.run(), lines.lines)
        }
        let (fromBag, log) = try replay(bag, remaps: remaps, out: path("bag_costmap.mcap"))
        XCTAssertEqual(fromBag.published, UInt64(2 * n))
        XCTAssertEqual(log.filter { $0.contains("/robot/scan") }.count, 1, "the LaserScan channel is listed once: \(log)")
        XCTAssertTrue(log.contains { $0.contains("sensor_msgs/msg/LaserScan") && $0.contains("skipping") }, "\(log)")
        let (fromFrames, _) = try replay(direct, remaps: [:], out: path("frames_costmap.mcap"))
        XCTAssertEqual(fromFrames.published, UInt64(2 * n))

        let report = try Comparer.compare(expected: path("frames_costmap.mcap"), actual: path("bag_costmap.mcap"), tolerance: 0)
        XCTAssertTrue(report.matches, report.formatted)
        XCTAssertEqual(report.topics.first?.expectedCount, n)
        // The maps are not trivially equal: the bag's wall is lethal, with inflated costs around it.
        let maps = try MCAPReader(path: path("bag_costmap.mcap")).readAllMessages()
        let last = try maps.last!.data.withUnsafeBytes { try Costmap.fromRecorded($0, pool: pool) }
        let histogram = Dictionary(grouping: Array(last.bytes), by: { $0 }).mapValues(\.count)
        XCTAssertNotNil(histogram[CostmapCost.lethal], "\(histogram)")
        XCTAssertGreaterThan(histogram.filter { $0.key > 0 && $0.key < CostmapCost.inscribed }.count, 5, "\(histogram)")
    }

    func testGraphInputOfTheWrongTypeForTheBagIsReportedWithItsLocation() throws {
        let bag = path("robot_bag")
        _ = try python(Self.rosbagsWriteScript, [bag, "8", "8", "1"])
        let graphFile = path("wrong.yaml")
        try """
        graph: wrong
        nodes:
          - name: downsample
            type: downsampler
            trigger: cloud
            params: {leaf_size: 0.05}
            inputs:
              cloud: /robot/depth/image_raw
            outputs:
              cloud: /cloud/voxels

        """.write(toFile: graphFile, atomically: true, encoding: .utf8)
        let catalog = try BuiltinNodes.catalog()
        let source = try RecordingSource(path: bag)
        XCTAssertThrowsError(try GraphLoader.loadValidated(path: graphFile, registry: catalog.registry, externalTopics: source.externalTopics)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("wrong.yaml:8:"), text)
            XCTAssertTrue(text.contains("expects PointCloud") && text.contains("sensor_msgs/msg/Image (cdr)"), text)
        }
        // Without the recording, the same input is simply unpublished.
        XCTAssertThrowsError(try GraphLoader.loadValidated(path: graphFile, registry: catalog.registry)) { e in
            XCTAssertTrue("\(e)".contains("no node publishes"), "\(e)")
        }
    }

    func testDeterministicROS2ReplaysAreByteIdentical() throws {
        let catalog = try BuiltinNodes.catalog()
        let graphPath = Self.repo.appendingPathComponent("graphs/camera_to_costmap.yaml").path
        let graph = try GraphLoader.loadValidated(path: graphPath, registry: catalog.registry)
        let rec = path("cam.mcap")
        _ = try RecordSession.run(graph: graph, catalog: catalog, output: rec, topics: ["/camera/color", "/camera/depth", "/camera/pose"],
                                  duration: 20, ticks: 3, log: { _ in })
        XCTAssertEqual(try MCAPInfo(path: rec).profile, "ros2")
        var files: [Data] = []
        for i in 0..<2 {
            let o = path("out\(i).mcap")
            let s = try Replayer(input: rec, graph: graph, catalog: catalog, options: ReplayOptions(deterministic: true, output: o), log: { _ in }).run()
            XCTAssertEqual(s.published, 9)
            files.append(try Data(contentsOf: URL(fileURLWithPath: o)))
        }
        XCTAssertEqual(files[0], files[1])
        XCTAssertGreaterThan(files[0].count, 10_000)
        XCTAssertEqual(Set(try MCAPReader(path: path("out0.mcap")).channels.values.map(\.messageEncoding)), ["cdr"])
    }

    func testHostileCDRInARecordingNamesTopicMessageAndField() throws {
        // A recording whose second depth message claims 4 GB of data.
        let pool = try smallPool("hostile", classes: [(4096, 8), (1 << 20, 4)])
        let d = try DepthImage(height: 4, width: 4, unit: .meters, pool: pool, timestampNs: 5, frameID: "d")
        var good = try d.cdrBytes()
        let w = try MCAPWriter(path: path("hostile.mcap"), profile: "ros2")
        let codec = MessageCodecRegistry.shared.codecs("DepthImage")!.ros2!
        let sid = w.addSchema(name: codec.typeName, encoding: "ros2msg", data: Array(codec.definition.utf8))
        let ch = w.addChannel(topic: "/robot/depth", schemaID: sid, messageEncoding: "cdr")
        try w.write(channel: ch, sequence: 0, logTime: 5, publishTime: 5, data: good)
        let dataCount = good.count - 64 - 4
        good.replaceSubrange(dataCount..<(dataCount + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
        try w.write(channel: ch, sequence: 1, logTime: 6, publishTime: 6, data: good)
        try w.close()
        let graphFile = path("robot.yaml")
        try Self.robotGraph.write(toFile: graphFile, atomically: true, encoding: .utf8)
        let catalog = try BuiltinNodes.catalog()
        let source = try RecordingSource(path: path("hostile.mcap"))
        var ext = source.externalTopics
        ext["/robot/pose"] = ExternalTopic(types: ["Pose"], source: "test")
        let graph = try GraphLoader.loadValidated(path: graphFile, registry: catalog.registry, externalTopics: ext)
        let r = try Replayer(input: path("hostile.mcap"), graph: graph, catalog: catalog, options: ReplayOptions(deterministic: true), log: { _ in })
        XCTAssertThrowsError(try r.run()) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("topic '/robot/depth' message 1") && text.contains("field 'data'") && text.contains("4294967295"), text)
        }
    }

    // MARK: - Single messages against rosbags' own CDR serializer

    static let rosbagsCodecScript = #"""
import sys, json
import numpy as np
from rosbags.typesys import Stores, get_typestore
ts = get_typestore(Stores.ROS2_HUMBLE)
T = ts.types
hdr = lambda f: T["std_msgs/msg/Header"](stamp=T["builtin_interfaces/msg/Time"](sec=12, nanosec=345), frame_id=f)
out = {}
# A driver-style cloud: x y z at 0 4 8, intensity at 16, point_step 32, two rows of 3.
pts = np.zeros((6, 8), dtype="<f4")
for i in range(6): pts[i, 0:3] = [i, -i, 0.5 * i]; pts[i, 4] = 10 + i
PF = T["sensor_msgs/msg/PointField"]
fields = [PF(name="x", offset=0, datatype=7, count=1), PF(name="y", offset=4, datatype=7, count=1),
          PF(name="z", offset=8, datatype=7, count=1), PF(name="intensity", offset=16, datatype=7, count=1)]
pc = T["sensor_msgs/msg/PointCloud2"](header=hdr("lidar"), height=2, width=3, fields=fields, is_bigendian=False,
        point_step=32, row_step=96, data=np.frombuffer(pts.tobytes(), dtype=np.uint8), is_dense=True)
out["cloud"] = bytes(ts.serialize_cdr(pc, pc.__msgtype__)).hex()
mm = np.arange(12, dtype="<u2").reshape(3, 4) * 7 + 1000
img = T["sensor_msgs/msg/Image"](header=hdr("depth"), height=3, width=4, encoding="16UC1", is_bigendian=0, step=8,
        data=np.frombuffer(mm.tobytes(), dtype=np.uint8))
out["depth16"] = bytes(ts.serialize_cdr(img, img.__msgtype__)).hex()
Pose = T["geometry_msgs/msg/Pose"]; P = T["geometry_msgs/msg/Point"]; Q = T["geometry_msgs/msg/Quaternion"]
info = T["nav_msgs/msg/MapMetaData"](map_load_time=T["builtin_interfaces/msg/Time"](sec=12, nanosec=345), resolution=0.1,
        width=3, height=2, origin=Pose(position=P(x=-1.0, y=2.0, z=0.0), orientation=Q(x=0.0, y=0.0, z=0.0, w=1.0)))
grid = T["nav_msgs/msg/OccupancyGrid"](header=hdr("map"), info=info, data=np.array([-1, 0, 100, 99, 50, 1], dtype=np.int8))
out["grid"] = bytes(ts.serialize_cdr(grid, grid.__msgtype__)).hex()
# Ours, decoded by rosbags.
ci = ts.deserialize_cdr(bytes.fromhex(sys.argv[1]), "sensor_msgs/msg/CameraInfo")
out["camera_info"] = [ci.header.frame_id, ci.header.stamp.sec, ci.header.stamp.nanosec, int(ci.height), int(ci.width),
                      ci.distortion_model, [float(v) for v in ci.d], [float(v) for v in ci.k], [float(v) for v in ci.p],
                      int(ci.roi.width), bool(ci.roi.do_rectify)]
print(json.dumps(out))
"""#

    func testSingleMessagesAgainstRosbagsSerializer() throws {
        var ci = CameraInfo(width: 640, height: 480, fx: 525, fy: 526, cx: 319.5, cy: 239.5, timestampNs: 7_000_000_042, frameID: "cam")
        ci.d = [0.1, -0.25, 0.001, 0, 0.05]
        ci.roi = (0, 0, 0, 320, true)
        let hex = try ci.cdrBytes().map { String(format: "%02x", $0) }.joined()
        let out = try python(Self.rosbagsCodecScript, [hex])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let c = try XCTUnwrap(json["camera_info"] as? [Any])
        XCTAssertEqual(c[0] as? String, "cam")
        XCTAssertEqual(c[1] as? Int, 7)
        XCTAssertEqual(c[2] as? Int, 42)
        XCTAssertEqual(c[3] as? Int, 480)
        XCTAssertEqual(c[4] as? Int, 640)
        XCTAssertEqual(c[5] as? String, "plumb_bob")
        XCTAssertEqual(c[6] as? [Double], ci.d)
        XCTAssertEqual(c[7] as? [Double], ci.k)
        XCTAssertEqual(c[8] as? [Double], ci.p)
        XCTAssertEqual(c[9] as? Int, 320)
        XCTAssertEqual(c[10] as? Bool, true)

        func bytes(_ key: String) throws -> [UInt8] {
            let h = try XCTUnwrap(json[key] as? String)
            var out: [UInt8] = []
            var i = h.startIndex
            while i < h.endIndex { let j = h.index(i, offsetBy: 2); out.append(UInt8(h[i..<j], radix: 16)!); i = j }
            return out
        }
        let pool = try smallPool("rosbagsmsgs", classes: [(4096, 16)])
        let cloud = try bytes("cloud").withUnsafeBytes { try PointCloud.decodeCDR($0, pool: pool) }
        XCTAssertEqual(cloud.format, .xyzi)
        XCTAssertEqual(cloud.count, 6)
        XCTAssertEqual(cloud.frameID, "lidar")
        XCTAssertEqual(cloud.timestampNs, 12_000_000_345)
        for i in 0..<6 { XCTAssertEqual(cloud[i], PointCloud.Point(x: Float(i), y: -Float(i), z: 0.5 * Float(i), intensity: Float(10 + i))) }
        let depth = try bytes("depth16").withUnsafeBytes { try DepthImage.decodeCDR($0, pool: pool) }
        XCTAssertEqual(depth.unit, .millimeters)
        XCTAssertEqual(depth.asTensor().baseAddress.load(fromByteOffset: 2 * 11, as: UInt16.self), 11 * 7 + 1000)
        let grid = try bytes("grid").withUnsafeBytes { try Costmap.decodeCDR($0, pool: pool) }
        XCTAssertEqual(grid.geometry, CostmapGeometry(width: 3, height: 2, resolution: 0.1, originX: -1, originY: 2))
        XCTAssertEqual(Array(grid.bytes), [255, 0, 254, 253, Costmap.costOfOccupancy[50]!, 1])
        XCTAssertEqual(grid.frameID, "map")
    }
}
