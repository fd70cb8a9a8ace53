import HorusMessages
import HorusView

/// TEMPORARY live-view channel (issue 14): serves a topic in horus's own record encoding
/// (docs/recording-format.md: 160-byte header + payload; schema and message encoding
/// "horus"), which Foxglove cannot display yet.
///
/// Switch to the ROS 2 codecs (schema encoding "ros2msg", message encoding "cdr") when
/// they land in HorusMessages: `ViewBridge.channel(topic:typeName:schema:)` is the one
/// place that picks this type; a ros2 `ViewChannel` per message type replaces it there.
struct HorusRecordViewChannel: ViewChannel {
    typealias Message = RecordedSample
    let topic: String
    let typeName: String
    let schema: String
    var schemaName: String { "horus.\(typeName)" }
    var schemaEncoding: String { RecordFormat.schemaEncoding }
    var encoding: String { RecordFormat.messageEncoding }

    func encode(_ sample: RecordedSample, into buffer: inout [UInt8]) throws {
        buffer.reserveCapacity(sample.byteCount)
        buffer.append(contentsOf: sample.header)
        buffer.append(contentsOf: sample.payload)
    }
}
