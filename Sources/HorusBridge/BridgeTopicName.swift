/// The mapping between horus topic names and ROS 2 DDS topic names: `/camera/depth` <-> `rt/camera/depth`.
public enum BridgeTopicName {
    /// "rt/" + the name without its leading slash.
    public static func dds(_ horusTopic: String) -> String { "rt/" + horusTopic.dropFirst() }

    /// The horus name of a ROS 2 DDS topic ("rt/x" -> "/x"); nil for DDS topics that are not ROS 2 topics.
    public static func horus(_ ddsTopic: String) -> String? {
        guard ddsTopic.hasPrefix("rt/"), ddsTopic.count > 3 else { return nil }
        return "/" + ddsTopic.dropFirst(3)
    }

    /// A bridged name starts with '/', has no empty segment and only [A-Za-z0-9_/] (ROS 2 rules).
    static func check(_ topic: String) throws {
        if let problem = problem(topic) { throw BridgeError("topic '\(topic)' \(problem)") }
    }

    /// Why `topic` cannot be bridged ("cannot be bridged: a ROS 2 name is ..."), nil if it can.
    public static func problem(_ topic: String) -> String? {
        let ok = topic.hasPrefix("/") && topic.count > 1 && topic.count <= 200 && !topic.hasSuffix("/")
            && !topic.contains("//")
            && topic.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x5f || $0 == 0x2f }
        return ok ? nil : "cannot be bridged: a ROS 2 name is '/' followed by segments of letters, digits and '_'"
    }
}
