import HorusMemory

/// Costmap <-> `nav_msgs/msg/OccupancyGrid` with nav2's translation: free 0 -> 0, costs
/// 1...252 -> 1...98 (scaled), inscribed 253 -> 99, lethal 254 -> 100, unknown 255 -> -1;
/// the origin, resolution and size in `info`. Decoding inverts the table (negative -> unknown,
/// 1...98 -> the smallest cost mapping to it); values above 100 are refused.
extension Costmap: ROS2Message {
    public static var ros2TypeName: String { "nav_msgs/msg/OccupancyGrid" }

    /// Cost -> occupancy (nav2's costmap_2d_publisher table).
    public static let occupancyOfCost: [Int8] = (0...255).map { c in
        switch c {
        case 0: return 0
        case 253: return 99
        case 254: return 100
        case 255: return -1
        default: return Int8(1 + (97 * (c - 1)) / 251)
        }
    }

    /// Occupancy (as its uint8 bit pattern) -> cost; nil for values above 100.
    public static let costOfOccupancy: [UInt8?] = (0...255).map { b in
        let v = Int(Int8(bitPattern: UInt8(b)))
        if v < 0 { return CostmapCost.unknown }
        if v > 100 { return nil }
        return UInt8((0...255).first { occupancyOfCost[$0] == Int8(v) }!)
    }

    public func writeCDR(_ w: inout CDRWriter) throws {
        try ROS2Header.write(&w, timestampNs: timestampNs, frameID: frameID)
        try ROS2Time.write(&w, timestampNs, "info.map_load_time")
        let g = geometry
        try w.float32(g.resolution, "info.resolution")
        try w.uint32(UInt32(g.width), "info.width")
        try w.uint32(UInt32(g.height), "info.height")
        try ROS2Pose.write(&w, x: Double(g.originX), y: Double(g.originY), z: 0, yaw: 0, pitch: 0, roll: 0)
        try w.count(g.cellCount, "data")
        let cells = UnsafeRawBufferPointer(bytes)
        try w.bytes(g.cellCount, "data") { dst in
            Self.occupancyOfCost.withUnsafeBufferPointer { table in
                let out = dst.assumingMemoryBound(to: Int8.self)
                for i in 0..<cells.count { out[i] = table[Int(cells[i])] }
            }
        }
    }

    public static func readCDR(_ r: inout CDRReader, pool: Pool) throws -> Costmap {
        let (ts, frame) = try ROS2Header.read(&r)
        _ = try ROS2Time.read(&r, "info.map_load_time")
        let res = try r.float32("info.resolution")
        let width = Int(try r.uint32("info.width")), height = Int(try r.uint32("info.height"))
        let origin = try ROS2Pose.read(&r, "info.origin")
        let data = try r.byteSequence("data")
        guard res > 0, res.isFinite else { throw CDRError(field: "info.resolution", reason: "\(res) is not a positive size") }
        guard width > 0 else { throw CDRError(field: "info.width", reason: "0 columns") }
        guard height > 0 else { throw CDRError(field: "info.height", reason: "0 rows") }
        guard abs(origin.yaw) < 1e-6, abs(origin.pitch) < 1e-6, abs(origin.roll) < 1e-6 else {
            throw CDRError(field: "info.origin.orientation", reason: "rotated grids are not supported (yaw \(origin.yaw))")
        }
        let (cellCount, o) = width.multipliedReportingOverflow(by: height)
        guard !o, cellCount == data.count else {
            throw CDRError(field: "data", reason: "\(data.count) cells, info.width \(width) x info.height \(height) = \(o ? "overflow" : "\(cellCount)")")
        }
        let g = CostmapGeometry(width: width, height: height, resolution: res, originX: Float(origin.x), originY: Float(origin.y))
        let map = try Costmap(geometry: g, pool: pool, timestampNs: ts, frameID: frame)
        let out = map.bytes
        for i in 0..<cellCount {
            guard let c = costOfOccupancy[Int(data[i])] else {
                throw CDRError(field: "data[\(i)]", reason: "occupancy \(Int8(bitPattern: data[i])) is outside -1...100")
            }
            out[i] = c
        }
        return map
    }
}
