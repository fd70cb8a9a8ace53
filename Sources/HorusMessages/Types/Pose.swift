import HorusTopics
import HorusMemory

/// A camera or robot pose in the world frame (z up), sent by value: position in meters,
/// yaw/pitch/roll in radians (yaw about z, positive pitch looks down, as horus's camera nodes use it).
public struct Pose: PlainMessage, TimestampedMessage, Equatable, Sendable {
    public static var topicTypeName: String { "Pose" }
    public var x: Double, y: Double, z: Double
    public var yaw: Double, pitch: Double, roll: Double
    public var timestampNs: UInt64

    public init(x: Double, y: Double, z: Double, yaw: Double = 0, pitch: Double = 0, roll: Double = 0, timestampNs: UInt64 = 0) {
        self.x = x; self.y = y; self.z = z
        self.yaw = yaw; self.pitch = pitch; self.roll = roll
        self.timestampNs = timestampNs
    }
}
