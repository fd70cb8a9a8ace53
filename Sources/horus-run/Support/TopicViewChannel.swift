import HorusMessages
import HorusView

/// How the live view puts one horus topic on the Foxglove wire: ROS 2 CDR (schema encoding
/// "ros2msg", the full definition text as schema, message encoding "cdr") for every type
/// with a ROS 2 message, so Foxglove's panels show it; horus's own record encoding
/// (docs/recording-format.md) for the others (Tensor), as recordings do.
struct TopicViewChannel: ViewChannel {
    typealias Message = RecordedSample
    enum Wire {
        case ros2(ROS2Codec)
        case horus(schema: String)
    }
    let topic: String
    let typeName: String
    let wire: Wire

    init(topic: String, codecs: MessageCodecs) {
        self.topic = topic
        typeName = codecs.typeName
        wire = codecs.ros2.map { .ros2($0) } ?? .horus(schema: codecs.horus.schema)
    }

    var schemaName: String {
        if case .ros2(let c) = wire { return c.typeName }
        return "horus.\(typeName)"
    }
    var schemaEncoding: String {
        if case .ros2 = wire { return "ros2msg" }
        return RecordFormat.schemaEncoding
    }
    var schema: String {
        switch wire {
        case .ros2(let c): return c.definition
        case .horus(let s): return s
        }
    }
    var encoding: String {
        if case .ros2 = wire { return "cdr" }
        return RecordFormat.messageEncoding
    }

    /// Called once per message that a client subscribes to: the size first, then the bytes
    /// straight into the shared send buffer (CDR written from the slot, no other copy).
    func encodedSize(_ sample: RecordedSample) throws -> Int {
        switch wire {
        case .horus: return sample.byteCount
        case .ros2(let codec): return try codec.encodedSize(try Self.message(sample))
        }
    }

    func encode(_ sample: RecordedSample, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        switch wire {
        case .horus:
            buffer.copyBytes(from: sample.header)
            UnsafeMutableRawBufferPointer(rebasing: buffer[sample.header.count...]).copyMemory(from: sample.payload)
            return sample.byteCount
        case .ros2(let codec):
            return try codec.encode(try Self.message(sample), buffer)
        }
    }

    private static func message(_ sample: RecordedSample) throws -> Any {
        guard let message = sample.message else { throw CDRError(field: "message", reason: "record tap handed over no message") }
        return message
    }
}
