/// How a recording encodes its messages: ROS 2 (profile `ros2`, `ros2msg` schemas, `cdr`
/// messages; types without a ROS 2 message, like Tensor, keep the horus encoding) or horus's
/// own format (docs/recording-format.md).
public enum RecordEncoding: String, Sendable, CaseIterable {
    case ros2, horus
}
