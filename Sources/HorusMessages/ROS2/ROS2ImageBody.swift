import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// The shared body of `sensor_msgs/msg/Image` for Image and DepthImage: the fields after
/// the header, with the pixel rows copied once (from the slot, or into it).
enum ROS2ImageBody {
    /// Writes height, width, encoding, is_bigendian, step and the rows of `t` ([H, W, ...]).
    static func write(_ w: inout CDRWriter, tensor t: Tensor, encoding: String) throws {
        let h = t.shape[0], wd = t.shape[1]
        let step = h > 0 ? t.nbytes / h : 0
        try w.uint32(UInt32(h), "height")
        try w.uint32(UInt32(wd), "width")
        try w.string(encoding, "encoding")
        try w.uint8(0, "is_bigendian")
        try w.uint32(UInt32(step), "step")
        try w.tensorBytes(t, "data")
    }

    /// The checked fields of an Image message; `data` points into the message bytes.
    struct Fields {
        var height: Int, width: Int, encoding: String, bigEndian: Bool, step: Int
        var data: UnsafeRawBufferPointer
    }

    static func read(_ r: inout CDRReader) throws -> Fields {
        let h = Int(try r.uint32("height")), w = Int(try r.uint32("width"))
        let enc = try r.string("encoding")
        let be = try r.uint8("is_bigendian")
        let step = Int(try r.uint32("step"))
        let data = try r.byteSequence("data")
        return Fields(height: h, width: w, encoding: enc, bigEndian: be != 0, step: step, data: data)
    }

    /// Checks the geometry against the data for `bytesPerPixel` and copies the rows into
    /// `dst` (height x width x bytesPerPixel, contiguous): one copy, row by row if padded.
    static func copyRows(_ f: Fields, bytesPerPixel: Int, into dst: UnsafeMutableRawPointer) {
        let row = f.width * bytesPerPixel
        if f.step == row { memcpy(dst, f.data.baseAddress!, row * f.height); return }
        for y in 0..<f.height { memcpy(dst + y * row, f.data.baseAddress! + y * f.step, row) }
    }

    /// Refuses sizes that are zero, whose rows don't fit `step`, or whose data is not step x height.
    static func check(_ f: Fields, bytesPerPixel: Int, multiByte: Bool) throws {
        guard f.height > 0 else { throw CDRError(field: "height", reason: "0 rows") }
        guard f.width > 0 else { throw CDRError(field: "width", reason: "0 columns") }
        if multiByte && f.bigEndian { throw CDRError(field: "is_bigendian", reason: "big-endian \(f.encoding) pixels are not supported") }
        let (row, o1) = f.width.multipliedReportingOverflow(by: bytesPerPixel)
        guard !o1, f.step >= row else { throw CDRError(field: "step", reason: "\(f.step) is less than width \(f.width) x \(bytesPerPixel) bytes of \(f.encoding)") }
        let (total, o2) = f.step.multipliedReportingOverflow(by: f.height)
        guard !o2, total == f.data.count else {
            throw CDRError(field: "data", reason: "\(f.data.count) bytes, step \(f.step) x height \(f.height) = \(o2 ? "overflow" : "\(total)")")
        }
    }
}

extension Image: ROS2Message {
    public static var ros2TypeName: String { "sensor_msgs/msg/Image" }

    public func writeCDR(_ w: inout CDRWriter) throws {
        try ROS2Header.write(&w, timestampNs: timestampNs, frameID: frameID)
        try ROS2ImageBody.write(&w, tensor: asTensor(), encoding: encoding.description)
    }

    public static func readCDR(_ r: inout CDRReader, pool: Pool) throws -> Image {
        let (ts, frame) = try ROS2Header.read(&r)
        let f = try ROS2ImageBody.read(&r)
        guard let e = ImageEncoding(name: f.encoding) else {
            throw CDRError(field: "encoding", reason: "'\(f.encoding)' is not an Image encoding (\(ImageEncoding.allCases.map(\.description).joined(separator: ", ")); 32FC1/16UC1 are DepthImage)")
        }
        let bpp = e.channels * e.dtype.size
        try ROS2ImageBody.check(f, bytesPerPixel: bpp, multiByte: e.dtype.size > 1)
        let img = try Image(uninitializedHeight: f.height, width: f.width, encoding: e, pool: pool, timestampNs: ts, frameID: frame)
        ROS2ImageBody.copyRows(f, bytesPerPixel: bpp, into: img.bytes.baseAddress!)
        return img
    }
}

extension DepthImage: ROS2Message {
    public static var ros2TypeName: String { "sensor_msgs/msg/Image" }

    /// The ROS encoding of a depth unit: 32FC1 (meters) or 16UC1 (millimeters).
    public static func ros2Encoding(_ u: DepthUnit) -> String { u == .meters ? "32FC1" : "16UC1" }

    public func writeCDR(_ w: inout CDRWriter) throws {
        try ROS2Header.write(&w, timestampNs: timestampNs, frameID: frameID)
        try ROS2ImageBody.write(&w, tensor: asTensor(), encoding: Self.ros2Encoding(unit))
    }

    public static func readCDR(_ r: inout CDRReader, pool: Pool) throws -> DepthImage {
        let (ts, frame) = try ROS2Header.read(&r)
        let f = try ROS2ImageBody.read(&r)
        let unit: DepthUnit
        switch f.encoding.uppercased() {
        case "32FC1": unit = .meters
        case "16UC1", "MONO16": unit = .millimeters
        default: throw CDRError(field: "encoding", reason: "'\(f.encoding)' is not a depth encoding (32FC1 meters, 16UC1 millimeters)")
        }
        try ROS2ImageBody.check(f, bytesPerPixel: unit.dtype.size, multiByte: true)
        let d = try DepthImage(uninitializedHeight: f.height, width: f.width, unit: unit, pool: pool, timestampNs: ts, frameID: frame)
        ROS2ImageBody.copyRows(f, bytesPerPixel: unit.dtype.size, into: d.asTensor().baseAddress)
        return d
    }
}
