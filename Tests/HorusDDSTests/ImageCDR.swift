import Foundation

/// A sensor_msgs/msg/Image serialized by hand for the tests (XCDR1, little endian, with the
/// 00 01 00 00 encapsulation header; alignment counts from the end of the header), and the
/// same fields as JSON for the Python peer.
struct TestImage {
    var sec: Int32 = 1_700_000_000
    var nanosec: UInt32 = 123_456_789
    var frameID = "camera_depth_optical_frame"
    var height: UInt32 = 4
    var width: UInt32 = 6
    var encoding = "16UC1"
    var isBigendian: UInt8 = 0
    var step: UInt32 = 12
    var data: [UInt8] = (0..<48).map { UInt8(($0 * 37 + 11) & 0xff) }

    var cdr: Data {
        var w = CDRWriter()
        w.int32(sec)
        w.uint32(nanosec)
        w.string(frameID)
        w.uint32(height)
        w.uint32(width)
        w.string(encoding)
        w.uint8(isBigendian)
        w.uint32(step)
        w.uint32(UInt32(data.count))
        w.bytes(data)
        return Data([0x00, 0x01, 0x00, 0x00]) + w.body
    }

    var json: Data {
        let fields: [String: Any] = [
            "sec": Int(sec), "nanosec": Int(nanosec), "frame_id": frameID, "height": Int(height), "width": Int(width),
            "encoding": encoding, "is_bigendian": Int(isBigendian), "step": Int(step),
            "data_hex": data.map { String(format: "%02x", $0) }.joined(),
        ]
        return try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    }
}

/// Little-endian XCDR1 primitives with natural alignment.
struct CDRWriter {
    var body = Data()
    private mutating func align(_ n: Int) { while body.count % n != 0 { body.append(0) } }
    mutating func uint8(_ v: UInt8) { body.append(v) }
    mutating func uint32(_ v: UInt32) { align(4); withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
    mutating func int32(_ v: Int32) { uint32(UInt32(bitPattern: v)) }
    mutating func bytes(_ v: [UInt8]) { body.append(contentsOf: v) }
    /// uint32 length including the terminating NUL, the UTF-8 bytes, NUL.
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        uint32(UInt32(utf8.count + 1))
        body.append(contentsOf: utf8)
        body.append(0)
    }
}
