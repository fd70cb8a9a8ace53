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

    /// Called once per message that a client subscribes to, into the topic's reused buffer:
    /// CDR is written straight from the slot (no allocation once the buffer has grown).
    func encode(_ sample: RecordedSample, into buffer: inout [UInt8]) throws {
        switch wire {
        case .horus:
            buffer.reserveCapacity(sample.byteCount)
            buffer.append(contentsOf: sample.header)
            buffer.append(contentsOf: sample.payload)
        case .ros2(let codec):
            guard let message = sample.message else { throw CDRError(field: "message", reason: "record tap handed over no message") }
            let size = try codec.encodedSize(message)
            buffer.append(contentsOf: repeatElement(0, count: size))
            let written = try buffer.withUnsafeMutableBytes { try codec.encode(message, $0) }
            guard written == size else { throw CDRError(field: "message", reason: "encoded \(written) bytes, expected \(size)") }
        }
    }
}
