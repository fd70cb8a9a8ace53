import HorusMemory
import HorusTopics

/// One message type's encodings and topic endpoints, type-erased so that code handling
/// recorded or received bytes (replay, the test harness) needs no generic parameter.
public struct MessageCodecs: @unchecked Sendable {
    /// The type's graph name ("Image").
    public let typeName: String
    /// The "horus" recording encoding (docs/recording-format.md).
    public let horus: HorusRecordCodec
    /// The ROS 2 encoding (CDR), nil for types without a ROS 2 message (Tensor).
    public let ros2: ROS2Codec?
    /// A subscriber for a recorder: its own cursor on the ring (`capacity` if it creates it).
    public let makeTap: (_ topic: String, _ capacity: Int?) throws -> RecordTap
    /// A bare publisher of this type on `topic`; the closure publishes a decoded message.
    public let makePublisher: (_ topic: String, _ capacity: Int?) throws -> (Any) throws -> Void

    init<M: RecordableMessage>(_: M.Type) {
        typeName = M.topicTypeName
        horus = HorusRecordCodec(schema: M.recordSchema, decode: { try M.fromRecorded($0, pool: $1) })
        ros2 = (M.self as? any ROS2Message.Type).map { ROS2Codec($0) }
        makeTap = { try TypedRecordTap<M>(topic: $0, capacity: $1) }
        makePublisher = { topic, capacity in
            let p = try Publisher<M>(topic: topic, capacity: capacity)
            return { message in
                guard let m = message as? M else { throw MessageTypeMismatch(topic: topic, expected: M.topicTypeName, got: message) }
                try p.publish(m)
            }
        }
    }
}

/// The horus recording encoding of one type: its schema document and its decoder.
public struct HorusRecordCodec: @unchecked Sendable {
    /// The schema document (JSON) written into a recording's Schema record.
    public let schema: String
    /// Rebuilds a message (boxed) in `pool` from recorded bytes: one copy into a slot.
    public let decode: (_ bytes: UnsafeRawBufferPointer, _ pool: Pool) throws -> Any
}

/// A message handed to a publisher of another type.
public struct MessageTypeMismatch: Error, CustomStringConvertible {
    public let topic: String
    public let expected: String
    public let got: Any
    public var description: String { "topic '\(topic)' carries \(expected), was given \(type(of: got))" }
}
