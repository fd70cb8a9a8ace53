import HorusMessages

/// The schemas and channels of a recording: one schema per message type and encoding (ROS 2
/// `ros2msg` + `cdr`, or the horus format), one channel per topic. The recorder and the test
/// harness's recordings both declare their topics through it.
package struct RecordChannels {
    private var schemaIDs: [String: UInt16] = [:]

    package init() {}

    /// Declares `topic` of horus type `typeName` in `writer`: its schema (once per type and
    /// encoding) and its channel. `ros2` nil means the horus encoding.
    package mutating func add(topic: String, typeName: String, codecs: MessageCodecs, ros2: ROS2Codec?,
                              to writer: MCAPWriter) -> (channel: UInt16, schemaName: String, messageEncoding: String) {
        let schemaName = ros2?.typeName ?? "horus.\(typeName)"
        let sid: UInt16
        if let s = schemaIDs[schemaName] {
            sid = s
        } else if let ros2 {
            sid = writer.addSchema(name: ros2.typeName, encoding: "ros2msg", data: Array(ros2.definition.utf8))
        } else {
            sid = writer.addSchema(name: schemaName, encoding: RecordFormat.schemaEncoding, data: Array(codecs.horus.schema.utf8))
        }
        schemaIDs[schemaName] = sid
        let messageEncoding = ros2 == nil ? RecordFormat.messageEncoding : "cdr"
        var metadata = ["horus_type": typeName]
        if ros2 != nil { metadata["offered_qos_profiles"] = "" }
        let channel = writer.addChannel(topic: topic, schemaID: sid, messageEncoding: messageEncoding, metadata: metadata)
        return (channel, schemaName, messageEncoding)
    }
}
