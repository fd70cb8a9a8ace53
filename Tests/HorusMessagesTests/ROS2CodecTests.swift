import HorusMemory
import HorusTestSupport
import XCTest
@testable import HorusMessages

/// Every ROS 2 codec: round trips through CDR, the registry's erased codec, and hostile input.
final class ROS2CodecTests: XCTestCase {
    var pool: Pool!
    override func setUpWithError() throws { pool = try smallPool("ros2", classes: [(4096, 64), (1 << 20, 16)]) }
    override func tearDown() { pool = nil }

    func roundTrip<M: ROS2Message>(_ m: M) throws -> M {
        let b = try m.cdrBytes()
        XCTAssertEqual(b.count, try m.cdrSize())
        return try b.withUnsafeBytes { try M.decodeCDR($0, pool: pool) }
    }

    func testImageEveryEncoding() throws {
        for e in ImageEncoding.allCases {
            var img = try Image(height: 3, width: 5, encoding: e, pool: pool, timestampNs: 1_700_000_000_123_456_789, frameID: "cam")
            for i in 0..<img.nbytes { img.bytes[i] = UInt8(truncatingIfNeeded: i * 7 + Int(e.rawValue)) }
            img.timestampNs = 1_700_000_000_123_456_789
            let back = try roundTrip(img)
            XCTAssertEqual(back.encoding, e)
            XCTAssertEqual([back.height, back.width], [3, 5])
            XCTAssertEqual(back.timestampNs, img.timestampNs)
            XCTAssertEqual(back.frameID, "cam")
            XCTAssertEqual(Array(back.bytes), Array(img.bytes), "\(e)")
        }
    }

    func testImageLayoutIsTheROSOne() throws {
        let img = try Image(height: 2, width: 2, encoding: .mono16, pool: pool, timestampNs: 3_000_000_005, frameID: "f")
        let b = try img.cdrBytes()
        // header: sec 3, nanosec 5, frame_id "f"; height 2 width 2; "mono16"; is_bigendian 0; step 4; data 8 bytes.
        let expected: [UInt8] = [0, 1, 0, 0, 3, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 0x66, 0, 0, 0,
                                 2, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0] + Array("mono16".utf8) + [0, /* is_bigendian */ 0, 4, 0, 0, 0, 8, 0, 0, 0]
        XCTAssertEqual(Array(b.prefix(expected.count)), expected)
        XCTAssertEqual(b.count, expected.count + 8)
    }

    func testDepthBothUnitsAndPaddedRows() throws {
        let d = try DepthImage(height: 4, width: 3, unit: .meters, pool: pool, timestampNs: 9, frameID: "depth")
        for y in 0..<4 { for x in 0..<3 { d.setDepth(x: x, y: y, meters: Float(y * 3 + x) * 0.25) } }
        let back = try roundTrip(d)
        XCTAssertEqual(back.unit, .meters)
        XCTAssertEqual(back.depth(x: 2, y: 3), 2.75)
        let mm = try DepthImage(height: 2, width: 2, unit: .millimeters, pool: pool)
        mm.asTensor().baseAddress.storeBytes(of: UInt16(1234), toByteOffset: 6, as: UInt16.self)
        let mmBack = try roundTrip(mm)
        XCTAssertEqual(mmBack.unit, .millimeters)
        XCTAssertEqual(mmBack.asTensor().baseAddress.load(fromByteOffset: 6, as: UInt16.self), 1234)
        XCTAssertTrue(String(decoding: try mm.cdrBytes(), as: UTF8.self).contains("16UC1"))

        // A ROS image whose rows are padded (step 16 for 3 float32 pixels) is copied row by row.
        var w = CDRWriter.measuring()
        func padded(_ w: inout CDRWriter) throws {
            try w.writeEncapsulation()
            try ROS2Header.write(&w, timestampNs: 0, frameID: "")
            try w.uint32(2, "h"); try w.uint32(3, "w"); try w.string("32FC1", "e"); try w.uint8(0, "b"); try w.uint32(16, "s")
            try w.count(32, "d")
            try w.bytes(32, "d") { p in for i in 0..<8 { p.storeBytes(of: Float(i), toByteOffset: 4 * i, as: Float.self) } }
        }
        try padded(&w)
        var bytes = [UInt8](repeating: 0, count: w.position)
        try bytes.withUnsafeMutableBytes { var x = CDRWriter(into: $0); try padded(&x) }
        let p = try bytes.withUnsafeBytes { try DepthImage.decodeCDR($0, pool: pool) }
        XCTAssertEqual([p.depth(x: 0, y: 0), p.depth(x: 2, y: 0), p.depth(x: 0, y: 1), p.depth(x: 2, y: 1)], [0, 2, 4, 6])
        // An Image codec refuses depth encodings and the reverse, naming the field.
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try Image.decodeCDR($0, pool: pool) }) { XCTAssertEqual(($0 as? CDRError)?.field, "encoding") }
    }

    func testPointCloudFormats() throws {
        for f in PointFormat.allCases {
            let n = 5
            let values = (0..<(n * f.fieldCount)).map { Float($0) * 0.5 }
            var c = try PointCloud(format: f, copying: values, pool: pool)
            c.timestampNs = 42
            c.frameID = "lidar"
            let back = try roundTrip(c)
            XCTAssertEqual(back.format, f)
            XCTAssertEqual(back.count, n)
            XCTAssertEqual(back.frameID, "lidar")
            for i in 0..<n { XCTAssertEqual(back[i], c[i]) }
        }
    }

    /// A PointCloud2 as a driver writes it: 32-byte points, x y z at 0 4 8, intensity at 16.
    func driverCloud(points: Int, pointStep: Int = 32, rowStep: Int? = nil, dataBytes: Int? = nil, xType: UInt8 = 7,
                     intensityOffset: UInt32 = 16, dropZ: Bool = false) throws -> [UInt8] {
        func body(_ w: inout CDRWriter) throws {
            try w.writeEncapsulation()
            try ROS2Header.write(&w, timestampNs: 5, frameID: "os")
            try w.uint32(1, "h"); try w.uint32(UInt32(points), "w")
            let fs: [(String, UInt32, UInt8)] = [("x", 0, xType), ("y", 4, 7)] + (dropZ ? [] : [("z", 8, 7)]) + [("intensity", intensityOffset, 7)]
            try w.count(fs.count, "f")
            for (n, o, t) in fs { try w.string(n, "n"); try w.uint32(o, "o"); try w.uint8(t, "t"); try w.uint32(1, "c") }
            try w.bool(false, "be"); try w.uint32(UInt32(pointStep), "ps"); try w.uint32(UInt32(rowStep ?? points * pointStep), "rs")
            let nb = dataBytes ?? points * pointStep
            try w.count(nb, "d")
            try w.bytes(nb, "d") { p in
                memset(p, 0, nb)
                for i in 0..<min(points, nb / pointStep) {
                    for (k, o) in [0, 4, 8, 16].enumerated() { p.storeBytes(of: Float(i * 10 + k), toByteOffset: i * pointStep + o, as: Float.self) }
                }
            }
            try w.bool(true, "dense")
        }
        var m = CDRWriter.measuring()
        try body(&m)
        var out = [UInt8](repeating: 0, count: m.position)
        try out.withUnsafeMutableBytes { var w = CDRWriter(into: $0); try body(&w) }
        return out
    }

    func testPointCloudWithPaddedDriverLayoutIsGathered() throws {
        let c = try driverCloud(points: 3).withUnsafeBytes { try PointCloud.decodeCDR($0, pool: pool) }
        XCTAssertEqual(c.format, .xyzi)
        XCTAssertEqual(c[2], PointCloud.Point(x: 20, y: 21, z: 22, intensity: 23))
    }

    func testInconsistentPointCloud2IsRefusedNamingTheField() throws {
        let cases: [([UInt8], String)] = [
            (try driverCloud(points: 3, rowStep: 50), "row_step"),
            (try driverCloud(points: 3, dataBytes: 64), "data"),
            (try driverCloud(points: 3, pointStep: 8, rowStep: 96, dataBytes: 96), "point_step"),
            (try driverCloud(points: 3, intensityOffset: 30), "fields[3].offset"),
            (try driverCloud(points: 3, xType: 8), "fields[0]"),
            (try driverCloud(points: 3, dropZ: true), "fields"),
        ]
        for (bytes, field) in cases {
            XCTAssertThrowsError(try bytes.withUnsafeBytes { try PointCloud.decodeCDR($0, pool: pool) }) { e in
                XCTAssertEqual((e as? CDRError)?.field, field, "\(e)")
            }
        }
    }

    func testCostmapUsesTheNav2Translation() throws {
        XCTAssertEqual([0, 1, 2, 128, 252, 253, 254, 255].map { Costmap.occupancyOfCost[$0] }, [0, 1, 1, 50, 98, 99, 100, -1])
        let g = CostmapGeometry(width: 4, height: 2, resolution: 0.05, originX: -1.5, originY: 2.25)
        let map = try Costmap(geometry: g, pool: pool, timestampNs: 77, frameID: "map")
        let costs: [UInt8] = [0, 2, 128, 252, 253, 254, 255, 255]
        for (i, c) in costs.enumerated() { map.bytes[i] = c }
        let b = try map.cdrBytes()
        XCTAssertEqual(b.suffix(8).map { Int8(bitPattern: $0) }, [0, 1, 50, 98, 99, 100, -1, -1])
        let back = try b.withUnsafeBytes { try Costmap.decodeCDR($0, pool: pool) }
        XCTAssertEqual(back.geometry, g)
        XCTAssertEqual(back.frameID, "map")
        XCTAssertEqual(back.timestampNs, 77)
        // Fixed points of the table survive; scaled costs come back as the smallest cost of their bucket.
        XCTAssertEqual(Array(back.bytes), [0, 1, 128, 252, 253, 254, 255, 255])
        for v in 0...100 { XCTAssertEqual(Costmap.occupancyOfCost[Int(Costmap.costOfOccupancy[v]!)], Int8(v)) }
        // Occupancy above 100 is refused with its index.
        var bad = b
        bad[bad.count - 3] = 101
        XCTAssertThrowsError(try bad.withUnsafeBytes { try Costmap.decodeCDR($0, pool: pool) }) { XCTAssertEqual(($0 as? CDRError)?.field, "data[5]") }
    }

    func testPoseQuaternionRoundTrip() throws {
        let p = Pose(x: 1, y: -2, z: 0.5, yaw: 0.7, pitch: -0.3, roll: 0.2, timestampNs: 123)
        let back = try roundTrip(p)
        XCTAssertEqual(back.x, 1); XCTAssertEqual(back.y, -2); XCTAssertEqual(back.z, 0.5)
        XCTAssertEqual(back.yaw, 0.7, accuracy: 1e-12)
        XCTAssertEqual(back.pitch, -0.3, accuracy: 1e-12)
        XCTAssertEqual(back.roll, 0.2, accuracy: 1e-12)
        XCTAssertEqual(back.timestampNs, 123)
        // Yaw alone is a rotation about z: q = (0, 0, sin(y/2), cos(y/2)).
        let q = ROS2Pose.quaternion(yaw: 1.0, pitch: 0, roll: 0)
        XCTAssertEqual(q.z, sin(0.5), accuracy: 1e-15)
        XCTAssertEqual(q.w, cos(0.5), accuracy: 1e-15)
        XCTAssertEqual(q.x, 0); XCTAssertEqual(q.y, 0)
    }

    func testCameraInfoRoundTrip() throws {
        var c = CameraInfo(width: 640, height: 480, fx: 525, fy: 526, cx: 319.5, cy: 239.5, timestampNs: 10, frameID: "cam")
        c.d = [0.1, -0.2, 0, 0, 0.05]
        let b = try c.cdrBytes()
        XCTAssertEqual(try b.withUnsafeBytes { try CameraInfo(cdr: $0) }, c)
        XCTAssertThrowsError(try b.prefix(b.count - 1).withUnsafeBytes { try CameraInfo(cdr: $0) }) {
            XCTAssertEqual(($0 as? CDRError)?.field, "roi.do_rectify")
        }
    }

    func testRegistryExposesTheROS2Codecs() throws {
        let reg = MessageCodecRegistry.shared
        XCTAssertEqual(reg.codecs("Image")?.ros2?.typeName, "sensor_msgs/msg/Image")
        XCTAssertEqual(reg.codecs("Costmap")?.ros2?.typeName, "nav_msgs/msg/OccupancyGrid")
        XCTAssertEqual(reg.codecs("PointCloud")?.ros2?.typeName, "sensor_msgs/msg/PointCloud2")
        XCTAssertEqual(reg.codecs("Pose")?.ros2?.typeName, "geometry_msgs/msg/PoseStamped")
        XCTAssertNil(reg.codecs("Tensor")?.ros2, "Tensor keeps the horus encoding")
        XCTAssertEqual(reg.codecs(ros2Type: "sensor_msgs/msg/Image").map(\.typeName), ["DepthImage", "Image"])
        let codec = reg.codecs("DepthImage")!.ros2!
        let d = try DepthImage(height: 2, width: 2, unit: .meters, pool: pool, timestampNs: 1, frameID: "z")
        var buf = [UInt8](repeating: 0, count: try codec.encodedSize(d))
        let n = try buf.withUnsafeMutableBytes { try codec.encode(d, $0) }
        XCTAssertEqual(n, buf.count)
        XCTAssertEqual(buf, try d.cdrBytes())
        let back = try buf.withUnsafeBytes { try codec.decode($0, pool) } as? DepthImage
        XCTAssertEqual(back?.frameID, "z")
        XCTAssertThrowsError(try buf.withUnsafeMutableBytes { try codec.encode("not a depth image", $0) })
    }

    /// Every prefix of every valid message, and random byte flips, give a CDRError: never a crash.
    func testHostileBytesNeverCrash() throws {
        var img = try Image(height: 4, width: 4, encoding: .rgb8, pool: pool, timestampNs: 1, frameID: "c")
        img.frameID = "cam"
        let g = CostmapGeometry(width: 3, height: 3, resolution: 0.1, originX: 0, originY: 0)
        let samples: [(String, [UInt8], (UnsafeRawBufferPointer) throws -> Any)] = [
            ("Image", try img.cdrBytes(), { try Image.decodeCDR($0, pool: self.pool) }),
            ("Depth", try DepthImage(height: 3, width: 3, pool: pool).cdrBytes(), { try DepthImage.decodeCDR($0, pool: self.pool) }),
            ("Cloud", try driverCloud(points: 4), { try PointCloud.decodeCDR($0, pool: self.pool) }),
            ("Costmap", try Costmap(geometry: g, pool: pool).cdrBytes(), { try Costmap.decodeCDR($0, pool: self.pool) }),
            ("Pose", try Pose(x: 1, y: 2, z: 3).cdrBytes(), { try Pose.decodeCDR($0, pool: self.pool) }),
        ]
        var rng = SystemRandomNumberGenerator()
        for (name, bytes, decode) in samples {
            XCTAssertNoThrow(try bytes.withUnsafeBytes { _ = try decode($0) }, name)
            for n in 0..<bytes.count {
                XCTAssertThrowsError(try bytes.prefix(n).withUnsafeBytes { _ = try decode($0) }, "\(name) prefix \(n)") { e in
                    XCTAssertTrue(e is CDRError, "\(name) prefix \(n): \(e)")
                }
            }
            for _ in 0..<300 {
                var b = bytes
                for _ in 0..<3 { b[Int.random(in: 4..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                do { _ = try b.withUnsafeBytes { try decode($0) } } catch is CDRError {} catch {
                    // Only a pool out of room is acceptable besides a CDR error (a flipped size can ask for a big image).
                    XCTAssertTrue("\(error)".lowercased().contains("pool") || "\(error)".lowercased().contains("slot"), "\(name): \(error)")
                }
            }
        }
    }
}
