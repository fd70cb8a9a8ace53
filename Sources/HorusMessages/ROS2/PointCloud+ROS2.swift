import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// PointCloud <-> `sensor_msgs/msg/PointCloud2`: one row (height 1) of float32 fields x, y, z
/// and `intensity` (xyzi) or `rgb` (xyzrgb, 0x00RRGGBB in the bits of a FLOAT32, as PCL and
/// ROS pack it); the points are the slot's bytes. Decoding accepts any layout whose x, y, z
/// (and intensity / rgb) are float32 inside `point_step`, and refuses a cloud whose fields,
/// point_step or row_step don't match its data, naming the field.
extension PointCloud: ROS2Message {
    public static var ros2TypeName: String { "sensor_msgs/msg/PointCloud2" }
    static let float32Type: UInt8 = 7
    static let uint32Type: UInt8 = 6

    public func writeCDR(_ w: inout CDRWriter) throws {
        try ROS2Header.write(&w, timestampNs: timestampNs, frameID: frameID)
        let t = asTensor()
        let names: [StaticString] = format == .xyz ? ["x", "y", "z"] : format == .xyzi ? ["x", "y", "z", "intensity"] : ["x", "y", "z", "rgb"]
        let pointStep = 4 * format.fieldCount
        try w.uint32(1, "height")
        try w.uint32(UInt32(count), "width")
        try w.count(names.count, "fields")
        for (i, n) in names.enumerated() {
            try w.string(n.description, "fields.name")
            try w.uint32(UInt32(4 * i), "fields.offset")
            try w.uint8(Self.float32Type, "fields.datatype")
            try w.uint32(1, "fields.count")
        }
        try w.bool(false, "is_bigendian")
        try w.uint32(UInt32(pointStep), "point_step")
        try w.uint32(UInt32(pointStep * count), "row_step")
        try w.tensorBytes(t, "data")
        try w.bool(false, "is_dense")
    }

    struct Field { var name: String, offset: Int, datatype: UInt8, count: Int }

    public static func readCDR(_ r: inout CDRReader, pool: Pool) throws -> PointCloud {
        let (ts, frame) = try ROS2Header.read(&r)
        let height = Int(try r.uint32("height")), width = Int(try r.uint32("width"))
        // A PointField takes at least 13 bytes (empty name 4+1, offset, datatype, count).
        let n = try r.count(minElementSize: 13, "fields")
        var fields: [Field] = []
        for i in 0..<n {
            let name = try r.string("fields[\(i)].name")
            let off = Int(try r.uint32("fields[\(i)].offset"))
            let dt = try r.uint8("fields[\(i)].datatype")
            let c = Int(try r.uint32("fields[\(i)].count"))
            fields.append(Field(name: name, offset: off, datatype: dt, count: c))
        }
        let bigEndian = try r.bool("is_bigendian")
        let pointStep = Int(try r.uint32("point_step"))
        let rowStep = Int(try r.uint32("row_step"))
        let data = try r.byteSequence("data")
        _ = try r.bool("is_dense")

        if bigEndian { throw CDRError(field: "is_bigendian", reason: "big-endian clouds are not supported") }
        func find(_ name: String, types: [UInt8]) throws -> Int? {
            guard let i = fields.firstIndex(where: { $0.name == name }) else { return nil }
            let f = fields[i]
            guard types.contains(f.datatype), f.count == 1 else {
                throw CDRError(field: "fields[\(i)]", reason: "'\(name)' has datatype \(f.datatype) count \(f.count), expected FLOAT32 (7) count 1")
            }
            guard f.offset <= pointStep - 4 else {
                throw CDRError(field: "fields[\(i)].offset", reason: "'\(name)' at \(f.offset) does not fit point_step \(pointStep)")
            }
            return f.offset
        }
        guard pointStep >= 12 else { throw CDRError(field: "point_step", reason: "\(pointStep) is less than 3 float32 (x, y, z)") }
        var offsets: [Int] = []
        for axis in ["x", "y", "z"] {
            guard let o = try find(axis, types: [float32Type]) else {
                throw CDRError(field: "fields", reason: "no '\(axis)' field (have: \(fields.map(\.name).joined(separator: ", ")))")
            }
            offsets.append(o)
        }
        var format = PointFormat.xyz
        if let o = try find("rgb", types: [float32Type, uint32Type]) ?? find("rgba", types: [float32Type, uint32Type]) {
            format = .xyzrgb
            offsets.append(o)
        } else if let o = try find("intensity", types: [float32Type]) {
            format = .xyzi
            offsets.append(o)
        }
        let (rowMin, o1) = width.multipliedReportingOverflow(by: pointStep)
        guard !o1, rowStep >= rowMin else { throw CDRError(field: "row_step", reason: "\(rowStep) is less than width \(width) x point_step \(pointStep)") }
        let (total, o2) = rowStep.multipliedReportingOverflow(by: height)
        guard !o2, total == data.count else {
            throw CDRError(field: "data", reason: "\(data.count) bytes, row_step \(rowStep) x height \(height) = \(o2 ? "overflow" : "\(total)")")
        }
        let points = width * height
        // Every value is written below (the one copy): no zero fill first.
        let t = try Tensor(dims: Dims(points, format.fieldCount), dtype: .float32, pool: pool, zeroed: false)
        let cloud = PointCloud(tensor: t, format: format, timestampNs: ts, frameID: frame)
        guard points > 0 else { return cloud }
        let dst = cloud.asTensor().baseAddress
        let packed = offsets == Array(stride(from: 0, to: 4 * format.fieldCount, by: 4)) && pointStep == 4 * format.fieldCount
        let src = data.baseAddress!
        if packed && rowStep == rowMin {
            memcpy(dst, src, points * pointStep)  // the common case: the layout is horus's
        } else {
            // Gather the fields point by point (still one copy of each value).
            var k = 0
            for row in 0..<height {
                let rowBase = src + row * rowStep
                for col in 0..<width {
                    let p = rowBase + col * pointStep
                    for o in offsets { memcpy(dst + 4 * k, p + o, 4); k += 1 }
                }
            }
        }
        return cloud
    }
}
