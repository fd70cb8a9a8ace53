import HorusMemory
#if canImport(Glibc)
import Glibc
#endif
import HorusTopics

/// A node's output port, bound to a topic. Publishing counts the message, records its
/// latency (for timestamped messages) and wakes nodes of this graph that it triggers.
public class AnyOutputPort {
    public let name: String
    public let topic: String
    public let typeName: String
    public internal(set) var publishedCount: UInt64 = 0
    /// Latency of published timestamped messages (publish time - data time), ns.
    public let latency = SampleWindow(capacity: 2048)
    /// Called after each publish (the scheduler wires in-process wakeups here).
    var onPublish: (() -> Void)?

    init(name: String, topic: String, typeName: String) {
        self.name = name
        self.topic = topic
        self.typeName = typeName
    }

    /// Publishes a message given as `Any` (replay, injection); throws if it is not of the port's type.
    public func publishAny(_ message: Any) throws {
        throw NodeError(node: name, phase: "publish", message: "untyped port on \(topic)")
    }
}

/// A typed output port.
public final class OutputPort<M: TopicMessage>: AnyOutputPort {
    let publisher: Publisher<M>
    let clock: GraphClock

    init(name: String, topic: String, capacity: Int?, clock: GraphClock) throws {
        publisher = try Publisher<M>(topic: topic, capacity: capacity)
        self.clock = clock
        super.init(name: name, topic: topic, typeName: M.topicTypeName)
    }

    /// Publishes `message` on the port's topic.
    public func publish(_ message: M) throws {
        try publisher.publish(message)
        publishedCount &+= 1
        if let t = (message as? TimestampedMessage)?.timestampNs, t > 0 {
            let now = clock.now()
            if now >= t { latency.add(now - t) }
        }
        onPublish?()
    }

    public override func publishAny(_ message: Any) throws {
        guard let m = message as? M else {
            throw NodeError(node: name, phase: "publish", message: "topic '\(topic)' carries \(typeName), was given \(type(of: message))")
        }
        try publish(m)
    }
}

/// A node's input port, bound to a topic with its own cursor.
public class AnyInputPort {
    public let name: String
    public let topic: String
    public let typeName: String
    public internal(set) var takenCount: UInt64 = 0
    /// Samples skipped by `latest()` (older than the one returned).
    public internal(set) var skippedCount: UInt64 = 0

    init(name: String, topic: String, typeName: String) {
        self.name = name
        self.topic = topic
        self.typeName = typeName
    }

    /// Samples waiting to be taken.
    public var backlog: UInt64 { 0 }
    /// True when a take would return a sample now.
    public var hasPending: Bool { false }
    /// Samples lost because the subscriber was lapped.
    public var droppedCount: UInt64 { 0 }
    /// Blocks until a take would return a sample, or `timeoutNs` passes; returns `hasPending`.
    public func waitForPending(timeoutNs: Int64) -> Bool {
        usleep(UInt32(max(0, min(timeoutNs, 50_000_000)) / 1000))
        return hasPending
    }
}

/// A typed input port.
public final class InputPort<M: TopicMessage>: AnyInputPort {
    let subscriber: Subscriber<M>

    init(name: String, topic: String, capacity: Int?, history: Int) throws {
        subscriber = try Subscriber<M>(topic: topic, history: history, capacity: capacity, waitPolicy: .block)
        super.init(name: name, topic: topic, typeName: M.topicTypeName)
    }

    /// The next sample in order, if any. (Named `next`, not `take`: an implicitly
    /// unwrapped port would silently call `Optional.next()` instead.)
    public func next() -> M? {
        guard let m = subscriber.tryReceive() else { return nil }
        takenCount &+= 1
        return m
    }

    /// The newest sample, skipping (and counting) older waiting ones.
    public func latest() -> M? {
        var last: M?
        while let m = subscriber.tryReceive() {
            if last != nil { skippedCount &+= 1 }
            last = m
        }
        if last != nil { takenCount &+= 1 }
        return last
    }

    /// Waits up to `timeout` seconds for the next sample.
    public func receive(timeout: Double) -> M? {
        guard let m = subscriber.receive(timeout: timeout) else { return nil }
        takenCount &+= 1
        return m
    }

    public override var backlog: UInt64 { subscriber.backlog }
    public override var hasPending: Bool { subscriber.hasPending }
    public override var droppedCount: UInt64 { subscriber.droppedCount }
    public override func waitForPending(timeoutNs: Int64) -> Bool { subscriber.waitForPending(timeoutNs: timeoutNs) }
}
