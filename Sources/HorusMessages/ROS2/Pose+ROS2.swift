import Foundation
import HorusMemory

/// Pose <-> `geometry_msgs/msg/PoseStamped`: position, and yaw/pitch/roll as a quaternion
/// (rotation z-y'-x'' = yaw about z, then pitch about y, then roll about x, as ROS's RPY);
/// the header's frame is `world` (a horus Pose carries no frame).
extension Pose: ROS2Message {
    public static var ros2TypeName: String { "geometry_msgs/msg/PoseStamped" }
    public static let ros2FrameID = "world"

    public func writeCDR(_ w: inout CDRWriter) throws {
        try ROS2Header.write(&w, timestampNs: timestampNs, frameID: Self.ros2FrameID)
        try ROS2Pose.write(&w, x: x, y: y, z: z, yaw: yaw, pitch: pitch, roll: roll)
    }

    public static func readCDR(_ r: inout CDRReader, pool: Pool) throws -> Pose {
        let (ts, _) = try ROS2Header.read(&r)
        var p = try ROS2Pose.read(&r, "pose")
        p.timestampNs = ts
        return p
    }
}

/// `geometry_msgs/msg/Pose` (Point + Quaternion) from and to position + yaw/pitch/roll.
enum ROS2Pose {
    static func quaternion(yaw: Double, pitch: Double, roll: Double) -> (x: Double, y: Double, z: Double, w: Double) {
        let cy = cos(yaw / 2), sy = sin(yaw / 2), cp = cos(pitch / 2), sp = sin(pitch / 2), cr = cos(roll / 2), sr = sin(roll / 2)
        return (sr * cp * cy - cr * sp * sy, cr * sp * cy + sr * cp * sy, cr * cp * sy - sr * sp * cy, cr * cp * cy + sr * sp * sy)
    }

    static func angles(x: Double, y: Double, z: Double, w: Double) -> (yaw: Double, pitch: Double, roll: Double) {
        let roll = atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y))
        let sp = max(-1, min(1, 2 * (w * y - z * x)))
        let pitch = asin(sp)
        let yaw = atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
        return (yaw, pitch, roll)
    }

    static func write(_ w: inout CDRWriter, x: Double, y: Double, z: Double, yaw: Double, pitch: Double, roll: Double) throws {
        try w.float64(x, "position.x")
        try w.float64(y, "position.y")
        try w.float64(z, "position.z")
        let q = quaternion(yaw: yaw, pitch: pitch, roll: roll)
        try w.float64(q.x, "orientation.x")
        try w.float64(q.y, "orientation.y")
        try w.float64(q.z, "orientation.z")
        try w.float64(q.w, "orientation.w")
    }

    static func read(_ r: inout CDRReader, _ field: String) throws -> Pose {
        let px = try r.float64(field + ".position.x"), py = try r.float64(field + ".position.y"), pz = try r.float64(field + ".position.z")
        let qx = try r.float64(field + ".orientation.x"), qy = try r.float64(field + ".orientation.y")
        let qz = try r.float64(field + ".orientation.z"), qw = try r.float64(field + ".orientation.w")
        let norm = (qx * qx + qy * qy + qz * qz + qw * qw).squareRoot()
        guard norm.isFinite, norm > 1e-9 else { throw CDRError(field: field + ".orientation", reason: "quaternion of norm \(norm)") }
        let a = angles(x: qx / norm, y: qy / norm, z: qz / norm, w: qw / norm)
        return Pose(x: px, y: py, z: pz, yaw: a.yaw, pitch: a.pitch, roll: a.roll)
    }
}
