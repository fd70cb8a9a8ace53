import Foundation

/// The JSON messages the server sends (Foxglove WebSocket protocol v1).
enum FoxgloveJSON {
    enum Level: Int { case info = 0, warning = 1, error = 2 }

    static func serverInfo(name: String, capabilities: [String], sessionID: String) -> String {
        encode(["op": "serverInfo", "name": name, "capabilities": capabilities, "metadata": [String: String](), "sessionId": sessionID])
    }

    static func advertise(_ channels: [ChannelAdvertisement]) -> String {
        encode(["op": "advertise", "channels": channels.map {
            ["id": $0.id, "topic": $0.topic, "encoding": $0.encoding, "schemaName": $0.schemaName,
             "schema": $0.schema, "schemaEncoding": $0.schemaEncoding] as [String: Any]
        }])
    }

    static func unadvertise(_ ids: [UInt32]) -> String { encode(["op": "unadvertise", "channelIds": ids]) }

    static func status(_ level: Level, _ message: String) -> String {
        encode(["op": "status", "level": level.rawValue, "message": message])
    }

    private static func encode(_ object: [String: Any]) -> String {
        // Every value above is a string, number, array or dictionary: serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A channel as advertised: the `ViewChannel`'s strings and the id the server gave it.
struct ChannelAdvertisement: Sendable {
    var id: UInt32
    var topic: String
    var encoding: String
    var schemaName: String
    var schema: String
    var schemaEncoding: String
}
