import Foundation
import HorusMessages

/// The horus types a bridge can carry: those whose codecs include a ROS 2 form, and their DDS type names.
public enum BridgeTypes {
    /// The codecs of `type`, or an error naming the types that have a ROS 2 mapping.
    public static func codec(_ type: String, topic: String) throws -> (MessageCodecs, ROS2Codec) {
        if let c = MessageCodecRegistry.shared.codecs(type), let r = c.ros2 { return (c, r) }
        throw BridgeError("topic '\(topic)': type '\(type)' has no ROS 2 mapping (bridgeable: \(bridgeable.joined(separator: ", ")))")
    }

    /// Types with a ROS 2 mapping, sorted.
    public static var bridgeable: [String] {
        MessageCodecRegistry.shared.typeNames.filter { MessageCodecRegistry.shared.codecs($0)?.ros2 != nil }
    }

    /// The DDS type name of a ROS 2 type: "sensor_msgs/msg/Image" -> "sensor_msgs::msg::dds_::Image_".
    public static func ddsTypeName(_ ros2Type: String) -> String {
        let parts = ros2Type.split(separator: "/")
        guard parts.count == 3 else { return ros2Type.replacingOccurrences(of: "/", with: "::") }
        return "\(parts[0])::\(parts[1])::dds_::\(parts[2])_"
    }

    /// The ROS 2 type of a DDS type name ("sensor_msgs::msg::dds_::Image_" -> "sensor_msgs/msg/Image"), nil otherwise.
    public static func ros2TypeName(dds: String) -> String? {
        let parts = dds.components(separatedBy: "::")
        guard parts.count == 4, parts[2] == "dds_", parts[3].hasSuffix("_") else { return nil }
        return "\(parts[0])/\(parts[1])/\(parts[3].dropLast())"
    }
}
