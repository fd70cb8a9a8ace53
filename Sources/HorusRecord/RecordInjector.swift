import HorusGraph
import HorusMemory
import HorusMessages

/// Publishes recorded messages on one topic of a running graph, in place of the node that
/// produced them: decodes a recording's bytes with the type's codec (one copy into a pool
/// slot) and publishes them through the graph's injection port.
public final class RecordInjector: @unchecked Sendable {
    public let topic: String
    public let typeName: String
    let port: AnyOutputPort
    let codecs: MessageCodecs
    let pool: Pool

    /// An injector on `topic` of `runner`'s graph; throws if its type has no codec.
    public init(runner: GraphRunner, topic: String) throws {
        guard let t = runner.graph.topic(topic) else {
            throw RecordError("topic '\(topic)' is not in graph '\(runner.graph.name)'")
        }
        guard let c = MessageCodecRegistry.shared.codecs(t.type.rawValue) else {
            throw RecordError("topic '\(topic)': type '\(t.type.rawValue)' cannot be replayed (recordable: \(MessageCodecRegistry.shared.typeNames.joined(separator: ", ")))")
        }
        self.topic = topic
        typeName = t.type.rawValue
        codecs = c
        port = try runner.injectionPort(topic: topic)
        pool = runner.pool
    }

    /// Rebuilds the message (one copy into a new slot); publish it with `publish`.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Any { try codecs.horus.decode(bytes, pool) }
    /// The decoder of recorded `channel` for this topic's type (ROS 2 CDR or the horus format);
    /// throws when the channel does not carry this type.
    public func decoder(for channel: RecordingSource.Channel) throws -> (UnsafeRawBufferPointer) throws -> Any {
        guard channel.typeNames.contains(typeName) else {
            throw RecordError("topic '\(topic)' carries \(typeName), but the recording's '\(channel.recordedTopic)' is \(channel.schemaName) (\(channel.messageEncoding))")
        }
        let pool = self.pool
        if channel.messageEncoding == "cdr", let ros2 = codecs.ros2 { return { try ros2.decode($0, pool) } }
        let horus = codecs.horus
        return { try horus.decode($0, pool) }
    }

    /// Publishes a message `decode` returned.
    public func publish(_ message: Any) throws { try port.publishAny(message) }
    /// Messages published so far.
    public var publishedCount: UInt64 { port.publishedCount }
}
