/// The ROS 2 `.msg` definitions horus speaks, and the complete `ros2msg` text of a type (its
/// definition, then every dependency after a line of 80 `=` and `MSG: pkg/msg/Type`), as
/// rosbag2 writes it into a recording's schema.
public enum ROS2Definitions {
    /// (definition text, direct dependencies) by full type name.
    static let messages: [String: (text: String, deps: [String])] = [
        "builtin_interfaces/msg/Time": ("""
            int32 sec
            uint32 nanosec
            """, []),
        "std_msgs/msg/Header": ("""
            builtin_interfaces/Time stamp
            string frame_id
            """, ["builtin_interfaces/msg/Time"]),
        "sensor_msgs/msg/Image": ("""
            std_msgs/Header header
            uint32 height
            uint32 width
            string encoding
            uint8 is_bigendian
            uint32 step
            uint8[] data
            """, ["std_msgs/msg/Header"]),
        "sensor_msgs/msg/PointField": ("""
            uint8 INT8    = 1
            uint8 UINT8   = 2
            uint8 INT16   = 3
            uint8 UINT16  = 4
            uint8 INT32   = 5
            uint8 UINT32  = 6
            uint8 FLOAT32 = 7
            uint8 FLOAT64 = 8
            string name
            uint32 offset
            uint8  datatype
            uint32 count
            """, []),
        "sensor_msgs/msg/PointCloud2": ("""
            std_msgs/Header header
            uint32 height
            uint32 width
            PointField[] fields
            bool    is_bigendian
            uint32  point_step
            uint32  row_step
            uint8[] data
            bool is_dense
            """, ["std_msgs/msg/Header", "sensor_msgs/msg/PointField"]),
        "sensor_msgs/msg/RegionOfInterest": ("""
            uint32 x_offset
            uint32 y_offset
            uint32 height
            uint32 width
            bool do_rectify
            """, []),
        "sensor_msgs/msg/CameraInfo": ("""
            std_msgs/Header header
            uint32 height
            uint32 width
            string distortion_model
            float64[] d
            float64[9]  k
            float64[9]  r
            float64[12] p
            uint32 binning_x
            uint32 binning_y
            RegionOfInterest roi
            """, ["std_msgs/msg/Header", "sensor_msgs/msg/RegionOfInterest"]),
        "geometry_msgs/msg/Point": ("""
            float64 x
            float64 y
            float64 z
            """, []),
        "geometry_msgs/msg/Quaternion": ("""
            float64 x 0
            float64 y 0
            float64 z 0
            float64 w 1
            """, []),
        "geometry_msgs/msg/Pose": ("""
            Point position
            Quaternion orientation
            """, ["geometry_msgs/msg/Point", "geometry_msgs/msg/Quaternion"]),
        "geometry_msgs/msg/PoseStamped": ("""
            std_msgs/Header header
            Pose pose
            """, ["std_msgs/msg/Header", "geometry_msgs/msg/Pose"]),
        "nav_msgs/msg/MapMetaData": ("""
            builtin_interfaces/Time map_load_time
            float32 resolution
            uint32 width
            uint32 height
            geometry_msgs/Pose origin
            """, ["builtin_interfaces/msg/Time", "geometry_msgs/msg/Pose"]),
        "nav_msgs/msg/OccupancyGrid": ("""
            std_msgs/Header header
            MapMetaData info
            int8[] data
            """, ["std_msgs/msg/Header", "nav_msgs/msg/MapMetaData"]),
    ]

    /// The complete `ros2msg` definition of `type` ("sensor_msgs/msg/Image"): its text, then
    /// each dependency once (depth-first, in field order).
    public static func fullText(_ type: String) -> String {
        guard let top = messages[type] else { preconditionFailure("no ROS 2 definition for \(type)") }
        var out = top.text + "\n"
        var seen: Set<String> = [type]
        func visit(_ deps: [String]) {
            for d in deps where !seen.contains(d) {
                seen.insert(d)
                let m = messages[d]!
                out += String(repeating: "=", count: 80) + "\nMSG: \(d)\n" + m.text + "\n"
                visit(m.deps)
            }
        }
        visit(top.deps)
        return out
    }
}
