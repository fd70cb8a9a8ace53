import Foundation
import XCTest

/// horus's raw-CDR layer against a DDS participant that is not horus (Python cyclonedds with the
/// ROS 2 IDL types), each in its own network namespace: same topic and type names as ROS 2,
/// bytes equal to Python's own serialization.
final class DDSInteropTests: XCTestCase {
    func testHandBuiltImageReachesPythonReaderWithEveryField() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        var image = TestImage()
        image.height = 5; image.width = 5; image.step = 10
        image.data = (0..<50).map { UInt8(($0 * 37 + 11) & 0xff) }
        XCTAssertEqual(image.cdr.count % 4, 2, "not a multiple of 4: the wire adds padding the reader must ignore")
        let cdrFile = dir.appendingPathComponent("image.cdr"), jsonFile = dir.appendingPathComponent("image.json")
        try image.cdr.write(to: cdrFile)
        try image.json.write(to: jsonFile)

        let python = try pair.start("b", ["python3", pythonPeer, "receive", "--topic", "rt/camera/depth",
                                          "--expect", jsonFile.path, "--cdr", cdrFile.path, "--timeout", "30"])
        XCTAssertNotNil(python.waitForLine("ready", timeout: 30), "python reader did not start: \(python.lines)")
        let probe = try pair.start("a", [probePath, "publish", "--topic", "rt/camera/depth", "--type", "sensor_msgs::msg::dds_::Image_",
                                         "--files", cdrFile.path, "--count", "5", "--interval-ms", "100", "--wait-match-s", "30"])
        XCTAssertNotNil(python.waitForLine("ok", timeout: 40), "python reader: \(python.lines); probe: \(probe.lines)")
        XCTAssertEqual(python.finish(timeout: 10), 0, "python reader: \(python.lines)")
        XCTAssertEqual(probe.finish(timeout: 20), 0, "probe: \(probe.lines)")
        XCTAssertTrue(probe.lines.contains("matched 1"), "the writer matched the Python reader: \(probe.lines)")
    }

    func testPythonImageArrivesAsPythonsExactBytes() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        var image = TestImage()
        image.frameID = "rgb"          // other lengths: other padding
        image.encoding = "rgb8"
        image.height = 2; image.width = 3; image.step = 9
        image.data = (0..<18).map { UInt8($0 * 13 & 0xff) }
        image.isBigendian = 1
        let jsonFile = dir.appendingPathComponent("fields.json"), pythonBytes = dir.appendingPathComponent("python.cdr")
        try image.json.write(to: jsonFile)

        let probe = try pair.start("b", [probePath, "take", "--topic", "rt/camera/image", "--type", "sensor_msgs::msg::dds_::Image_",
                                         "--count", "1", "--out-dir", dir.path, "--timeout-s", "40", "--depth", "10"])
        XCTAssertNotNil(probe.waitForLine("ready", timeout: 30), "probe: \(probe.lines)")
        let python = try pair.start("a", ["python3", pythonPeer, "send", "--topic", "rt/camera/image",
                                          "--fields", jsonFile.path, "--out", pythonBytes.path, "--timeout", "30"])
        XCTAssertEqual(probe.finish(timeout: 45), 0, "probe: \(probe.lines); python: \(python.lines)")
        XCTAssertEqual(python.finish(timeout: 20), 0, "python: \(python.lines)")
        let received = try Data(contentsOf: dir.appendingPathComponent("sample-1.cdr"))
        let serialized = try Data(contentsOf: pythonBytes)
        // DDSI pads every payload to a multiple of 4; Python's writer does not declare the padding
        // in the encapsulation options, so the sample ends in up to 3 zero bytes CDR decoders ignore.
        let padded = serialized + Data(repeating: 0, count: (4 - serialized.count % 4) % 4)
        XCTAssertEqual(serialized.count % 4, 2, "this image's CDR is not a multiple of 4 (the padding case)")
        XCTAssertEqual(received, padded, "the taken bytes are Python's serialization (plus the wire padding)")
        XCTAssertEqual(serialized, image.cdr, "which equals the hand-built CDR of the same fields")
        XCTAssertTrue(probe.lines.contains("stats rejected=0 lost=0 matched=1"), "probe: \(probe.lines)")
    }
}
