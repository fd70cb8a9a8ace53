import HorusMemory

/// `sensor_msgs/msg/CameraInfo`: a camera's intrinsics, read and written beside images
/// (a node that needs intrinsics decodes the recording's or the wire's CameraInfo with this).
public struct CameraInfo: ROS2Encodable, Equatable, Sendable {
    public var timestampNs: UInt64
    public var frameID: String
    public var height: Int, width: Int
    public var distortionModel: String
    public var d: [Double]
    /// Row-major 3x3 intrinsics, 3x3 rectification and 3x4 projection.
    public var k: [Double], r: [Double], p: [Double]
    public var binningX: Int, binningY: Int
    public var roi: (x: Int, y: Int, height: Int, width: Int, doRectify: Bool)

    public static var ros2TypeName: String { "sensor_msgs/msg/CameraInfo" }

    /// A pinhole camera without distortion.
    public init(width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double, timestampNs: UInt64 = 0, frameID: String = "camera") {
        self.timestampNs = timestampNs
        self.frameID = frameID
        self.width = width
        self.height = height
        distortionModel = "plumb_bob"
        d = [0, 0, 0, 0, 0]
        k = [fx, 0, cx, 0, fy, cy, 0, 0, 1]
        r = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        p = [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0]
        binningX = 0
        binningY = 0
        roi = (0, 0, 0, 0, false)
    }

    public static func == (a: CameraInfo, b: CameraInfo) -> Bool {
        a.timestampNs == b.timestampNs && a.frameID == b.frameID && a.height == b.height && a.width == b.width
            && a.distortionModel == b.distortionModel && a.d == b.d && a.k == b.k && a.r == b.r && a.p == b.p
            && a.binningX == b.binningX && a.binningY == b.binningY && a.roi == b.roi
    }

    public func writeCDR(_ w: inout CDRWriter) throws {
        try ROS2Header.write(&w, timestampNs: timestampNs, frameID: frameID)
        try w.uint32(UInt32(height), "height")
        try w.uint32(UInt32(width), "width")
        try w.string(distortionModel, "distortion_model")
        try w.count(d.count, "d")
        for v in d { try w.float64(v, "d") }
        guard k.count == 9, r.count == 9, p.count == 12 else { throw CDRError(field: "k/r/p", reason: "need 9, 9 and 12 values") }
        for v in k + r + p { try w.float64(v, "k/r/p") }
        try w.uint32(UInt32(binningX), "binning_x")
        try w.uint32(UInt32(binningY), "binning_y")
        try w.uint32(UInt32(roi.x), "roi.x_offset")
        try w.uint32(UInt32(roi.y), "roi.y_offset")
        try w.uint32(UInt32(roi.height), "roi.height")
        try w.uint32(UInt32(roi.width), "roi.width")
        try w.bool(roi.doRectify, "roi.do_rectify")
    }

    /// Decodes untrusted CDR bytes.
    public init(cdr bytes: UnsafeRawBufferPointer) throws {
        var r = try CDRReader(bytes)
        (timestampNs, frameID) = try ROS2Header.read(&r)
        height = Int(try r.uint32("height"))
        width = Int(try r.uint32("width"))
        distortionModel = try r.string("distortion_model")
        d = try r.float64Array(try r.count(minElementSize: 8, "d"), "d")
        k = try r.float64Array(9, "k")
        self.r = try r.float64Array(9, "r")
        p = try r.float64Array(12, "p")
        binningX = Int(try r.uint32("binning_x"))
        binningY = Int(try r.uint32("binning_y"))
        roi = (Int(try r.uint32("roi.x_offset")), Int(try r.uint32("roi.y_offset")), Int(try r.uint32("roi.height")),
               Int(try r.uint32("roi.width")), try r.bool("roi.do_rectify"))
    }
}
