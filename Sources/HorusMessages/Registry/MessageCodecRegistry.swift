import Foundation
import HorusMemory
import HorusTopics
import HorusSystem

/// Where every message type's encodings live, by the type's graph name ("Image", "Costmap"):
/// the recorder, the replayer and the test harness find a type's codec here, so each type is
/// encoded in exactly one place. The built-in types are registered from the start; a library
/// that adds a recordable type calls `register`.
public final class MessageCodecRegistry: @unchecked Sendable {
    /// The process-wide registry.
    public static let shared = MessageCodecRegistry()

    private var entries: [String: MessageCodecs] = [:]
    private let lock = Mutex()

    private init() {
        register(Image.self)
        register(DepthImage.self)
        register(PointCloud.self)
        register(Tensor.self)
        register(Costmap.self)
        register(Pose.self)
        register(ObstacleAlert.self)
    }

    /// Makes `M` recordable and replayable under `M.topicTypeName`.
    public func register<M: RecordableMessage>(_: M.Type) {
        let codecs = MessageCodecs(M.self)
        lock.lock()
        defer { lock.unlock() }
        entries[M.topicTypeName] = codecs
    }

    /// The codecs of the type named `typeName`, nil if it has none.
    public func codecs(_ typeName: String) -> MessageCodecs? {
        lock.lock()
        defer { lock.unlock() }
        return entries[typeName]
    }

    /// The types whose ROS 2 form is `ros2Type` ("sensor_msgs/msg/Image": Image and DepthImage), sorted by name.
    public func codecs(ros2Type: String) -> [MessageCodecs] {
        lock.lock()
        defer { lock.unlock() }
        return entries.values.filter { $0.ros2?.typeName == ros2Type }.sorted { $0.typeName < $1.typeName }
    }

    /// Names of the types that have codecs, sorted.
    public var typeNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return entries.keys.sorted()
    }
}
