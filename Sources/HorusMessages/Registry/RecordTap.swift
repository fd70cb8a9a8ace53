import HorusMemory
import HorusTopics

/// A recorder's subscription to one topic, type-erased: its own cursor on the ring, so
/// the graph's subscribers never wait for it; what it misses is counted in `droppedCount`.
public class RecordTap: @unchecked Sendable {
    public let topic: String
    public let typeName: String

    init(topic: String, typeName: String) {
        self.topic = topic
        self.typeName = typeName
    }

    /// The next sample (header + a payload pointing into the slot it keeps alive), if any.
    public func next() -> RecordedSample? { nil }
    /// Samples waiting.
    public var backlog: UInt64 { 0 }
    /// Samples lost because the recorder fell more than the ring's capacity behind.
    public var droppedCount: UInt64 { 0 }
    /// Samples taken.
    public var receivedCount: UInt64 { 0 }
    /// A watch that sleeps until the topic is published (for a thread serving several topics).
    package func publishWatch() -> TopicPublishWatch? { nil }
}

final class TypedRecordTap<M: RecordableMessage>: RecordTap, @unchecked Sendable {
    let subscriber: Subscriber<M>

    init(topic: String, capacity: Int?) throws {
        subscriber = try Subscriber<M>(topic: topic, history: 0, capacity: capacity, waitPolicy: .block)
        super.init(topic: topic, typeName: M.topicTypeName)
    }

    override func next() -> RecordedSample? {
        guard let m = subscriber.tryReceive() else { return nil }
        var s = m.recordedSample()
        s.message = m
        return s
    }
    override var backlog: UInt64 { subscriber.backlog }
    override var droppedCount: UInt64 { subscriber.droppedCount }
    override var receivedCount: UInt64 { subscriber.receivedCount }
    override package func publishWatch() -> TopicPublishWatch? { subscriber.publishWatch() }
}
