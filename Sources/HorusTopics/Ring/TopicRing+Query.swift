import CHorus

extension TopicRing {
    /// The message type name recorded by the existing topic `topic` of this namespace
    /// ("Image", "Pose"), or nil when no such topic exists (or it is still being created).
    /// Reads the header through a `TopicInspector`: the topic is not joined.
    public static func recordedTypeName(topic: String) -> String? {
        guard !topic.isEmpty, topic.utf8.count < Int(HORUS_RING_TOPIC_NAME_CAPACITY) else { return nil }
        return (try? TopicInspector(topic: topic))?.typeName
    }
}
