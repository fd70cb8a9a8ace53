import HorusMemory
import HorusTestSupport
import XCTest
@testable import HorusMessages

/// The CDR writer and reader against hand-computed XCDR1 bytes, and their bounds checks.
final class CDRTests: XCTestCase {
    func testAlignmentIsRelativeToTheByteAfterTheHeader() throws {
        var out = [UInt8](repeating: 0xEE, count: 64)
        let n = try out.withUnsafeMutableBytes { b -> Int in
            var w = CDRWriter(into: b)
            try w.writeEncapsulation()
            try w.uint8(7, "a")          // offset 0
            try w.uint32(0x0102_0304, "b")  // padded to 4
            try w.string("hi", "c")      // len 3 + "hi\0" at 8..15
            try w.float64(1.0, "d")      // 15 -> aligned to 16
            return w.position
        }
        let expected: [UInt8] = [0, 1, 0, 0,
                                 7, 0, 0, 0, 4, 3, 2, 1,
                                 3, 0, 0, 0, 0x68, 0x69, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
        XCTAssertEqual(Array(out[0..<n]), expected)

        try expected.withUnsafeBytes { b in
            var r = try CDRReader(b)
            XCTAssertEqual(try r.uint8("a"), 7)
            XCTAssertEqual(try r.uint32("b"), 0x0102_0304)
            XCTAssertEqual(try r.string("c"), "hi")
            XCTAssertEqual(try r.float64("d"), 1.0)
            XCTAssertEqual(r.remaining, 0)
            XCTAssertThrowsError(try r.uint8("e")) { XCTAssertEqual(($0 as? CDRError)?.field, "e") }
        }
    }

    func testMeasuringGivesTheWrittenSize() throws {
        var m = CDRWriter.measuring()
        try m.writeEncapsulation()
        try m.string("frame", "f")
        try m.float64(2, "x")
        var out = [UInt8](repeating: 0, count: m.position)
        let n = try out.withUnsafeMutableBytes { b -> Int in
            var w = CDRWriter(into: b)
            try w.writeEncapsulation()
            try w.string("frame", "f")
            try w.float64(2, "x")
            return w.position
        }
        XCTAssertEqual(n, m.position)
        XCTAssertEqual(n, 4 + 4 + 6 + 6 + 8)  // header, length, "frame\0", pad to 8, float64
        // Too small a buffer is an error, not an overrun.
        var small = [UInt8](repeating: 0, count: n - 1)
        XCTAssertThrowsError(try small.withUnsafeMutableBytes { b in
            var w = CDRWriter(into: b)
            try w.writeEncapsulation()
            try w.string("frame", "f")
            try w.float64(2, "x")
        }) { XCTAssertEqual(($0 as? CDRError)?.field, "x") }
    }

    func testEncapsulationHeaderIsChecked() {
        for (bytes, why) in [([0, 0, 0, 0, 1, 2], "big-endian"), ([0, 3, 0, 0], "XCDR1"), ([0, 1], "header"), ([1, 1, 0, 0], "plain CDR")] as [([UInt8], String)] {
            XCTAssertThrowsError(try bytes.withUnsafeBytes { try CDRReader($0) }) { e in
                XCTAssertEqual((e as? CDRError)?.field, "encapsulation")
                XCTAssertTrue("\(e)".contains(why), "\(e)")
            }
        }
    }

    func testHugeCountsAndLengthsAreRefusedBeforeAllocating() throws {
        // A string and a sequence claiming 4 GB in a 12-byte message.
        for field in ["s", "q"] {
            let bytes: [UInt8] = [0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]
            try bytes.withUnsafeBytes { b in
                var r = try CDRReader(b)
                XCTAssertThrowsError(try { if field == "s" { _ = try r.string("frame_id") } else { _ = try r.byteSequence("data") } }()) { e in
                    XCTAssertEqual((e as? CDRError)?.field, field == "s" ? "frame_id" : "data")
                    XCTAssertTrue("\(e)".contains("4294967295"), "\(e)")
                }
            }
        }
        let fields: [UInt8] = [0, 1, 0, 0, 0, 0, 0, 0x10]
        try fields.withUnsafeBytes { b in
            var r = try CDRReader(b)
            XCTAssertThrowsError(try r.count(minElementSize: 13, "fields")) { XCTAssertEqual(($0 as? CDRError)?.field, "fields") }
        }
    }

    func testStringsMustBeTerminated() throws {
        let bytes: [UInt8] = [0, 1, 0, 0, 2, 0, 0, 0, 0x41, 0x42]
        try bytes.withUnsafeBytes { b in
            var r = try CDRReader(b)
            XCTAssertThrowsError(try r.string("encoding")) { XCTAssertTrue("\($0)".contains("NUL"), "\($0)") }
        }
    }

    func testDefinitionsCarryTheirDependenciesOnce() {
        let text = ROS2Definitions.fullText("nav_msgs/msg/OccupancyGrid")
        XCTAssertTrue(text.hasPrefix("std_msgs/Header header\nMapMetaData info\nint8[] data\n"))
        let sep = String(repeating: "=", count: 80)
        let deps = text.components(separatedBy: "\n").filter { $0.hasPrefix("MSG: ") }
        XCTAssertEqual(deps, ["MSG: std_msgs/msg/Header", "MSG: builtin_interfaces/msg/Time", "MSG: nav_msgs/msg/MapMetaData",
                              "MSG: geometry_msgs/msg/Pose", "MSG: geometry_msgs/msg/Point", "MSG: geometry_msgs/msg/Quaternion"])
        XCTAssertEqual(text.components(separatedBy: sep).count - 1, deps.count)
    }
}
