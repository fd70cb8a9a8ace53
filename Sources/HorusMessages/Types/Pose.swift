import HorusGraph
import HorusTopics
import HorusMemory

/// A camera or robot pose in the world frame (z up), sent by value: position in meters,
/// yaw/pitch/roll in radians (yaw about z, positive pitch looks down, as `CameraPose`).
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

    /// The camera pose the renderer and unprojector use (roll is ignored).
    public var cameraPose: CameraPose {
        CameraPose(position: SIMD3(Float(x), Float(y), Float(z)), yaw: Float(yaw), pitch: Float(pitch))
    }
}

extension Pose: PlainRecordableMessage {
    public static var recordFields: [(name: String, offset: Int, dtype: DType)] {
        [("x", MemoryLayout<Pose>.offset(of: \.x)!, .float64), ("y", MemoryLayout<Pose>.offset(of: \.y)!, .float64),
         ("z", MemoryLayout<Pose>.offset(of: \.z)!, .float64), ("yaw", MemoryLayout<Pose>.offset(of: \.yaw)!, .float64),
         ("pitch", MemoryLayout<Pose>.offset(of: \.pitch)!, .float64), ("roll", MemoryLayout<Pose>.offset(of: \.roll)!, .float64),
         ("timestamp_ns", MemoryLayout<Pose>.offset(of: \.timestampNs)!, .uint64)]
    }
}
