import Foundation
import HorusBridge
import HorusDDS
import HorusMessages
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run topics --remote`: the DDS topics other participants announce, with ROS 2 names
/// mapped back to horus names and types.
enum RemoteTopics {
    struct Entry: Encodable {
        var ddsTopic: String
        var topic: String?
        var ddsType: String
        var horusTypes: [String]
        var publications: Int
        var subscriptions: Int
        var reliable: Bool
    }

    /// Listens for `seconds` on `domain`; the endpoints seen, one entry per (topic, type).
    static func list(domain: UInt32, seconds: Double) throws -> [Entry] {
        let participant = try DDSParticipant(domain: domain)
        usleep(UInt32(seconds * 1e6))
        var byKey: [String: Entry] = [:]
        for e in try participant.endpoints() {
            let key = e.topic + "\u{0}" + e.typeName
            var entry = byKey[key] ?? Entry(
                ddsTopic: e.topic, topic: BridgeTopicName.horus(e.topic), ddsType: e.typeName,
                horusTypes: BridgeTypes.ros2TypeName(dds: e.typeName).map { MessageCodecRegistry.shared.codecs(ros2Type: $0).map(\.typeName) } ?? [],
                publications: 0, subscriptions: 0, reliable: e.reliable)
            if e.isWriter { entry.publications += 1 } else { entry.subscriptions += 1 }
            byKey[key] = entry
        }
        return byKey.values.sorted { ($0.ddsTopic, $0.ddsType) < ($1.ddsTopic, $1.ddsType) }
    }

    static func print(_ entries: [Entry], domain: UInt32, json: Bool) throws {
        if json {
            Console.out(try Console.jsonLine(entries))
            return
        }
        if entries.isEmpty {
            Console.out("no remote DDS topics seen on domain \(domain)")
            return
        }
        var rows = [["remote topic", "dds type", "pubs", "subs", "horus type", "reliability"]]
        for e in entries {
            rows.append([e.topic ?? e.ddsTopic, e.ddsType, "\(e.publications)", "\(e.subscriptions)",
                         e.horusTypes.isEmpty ? "-" : e.horusTypes.joined(separator: "|"), e.reliable ? "reliable" : "best_effort"])
        }
        for l in Fmt.table(rows) { Console.out(l) }
    }
}
