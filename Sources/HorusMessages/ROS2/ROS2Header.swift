/// `std_msgs/msg/Header` (stamp + frame_id) from and to a horus timestamp (ns) and frame id.
enum ROS2Header {
    static func write(_ w: inout CDRWriter, timestampNs: UInt64, frameID: String) throws {
        try ROS2Time.write(&w, timestampNs, "header.stamp")
        try w.string(frameID, "header.frame_id")
    }

    static func read(_ r: inout CDRReader) throws -> (timestampNs: UInt64, frameID: String) {
        let t = try ROS2Time.read(&r, "header.stamp")
        return (t, try r.string("header.frame_id"))
    }
}

/// `builtin_interfaces/msg/Time` <-> nanoseconds since the epoch.
enum ROS2Time {
    static func write(_ w: inout CDRWriter, _ ns: UInt64, _ field: StaticString) throws {
        let sec = ns / 1_000_000_000
        guard sec <= UInt64(Int32.max) else { throw CDRError(field: "\(field)", reason: "\(ns) ns is past the int32 seconds of builtin_interfaces/Time") }
        try w.int32(Int32(sec), field)
        try w.uint32(UInt32(ns % 1_000_000_000), field)
    }

    static func read(_ r: inout CDRReader, _ field: String) throws -> UInt64 {
        let sec = try r.int32(field + ".sec")
        let nsec = try r.uint32(field + ".nanosec")
        guard sec >= 0 else { throw CDRError(field: field + ".sec", reason: "negative time \(sec)") }
        guard nsec < 1_000_000_000 else { throw CDRError(field: field + ".nanosec", reason: "\(nsec) is not below 1e9") }
        return UInt64(sec) * 1_000_000_000 + UInt64(nsec)
    }
}
