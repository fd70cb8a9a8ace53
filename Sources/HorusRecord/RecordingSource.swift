import HorusGraph
import HorusMessages

/// A recording opened for replay or info: an MCAP file or a rosbag2 directory, its topics
/// renamed by `remaps`, and for each channel the horus types it decodes into (ROS 2 CDR
/// channels by their ROS type, horus channels by their horus type). Channels of other types
/// are listed in `unsupported` and skipped.
public struct RecordingSource {
    /// One recorded channel.
    public struct Channel: Sendable {
        public var id: UInt16
        /// The topic in the recording, and in the graph (after `--remap`).
        public var recordedTopic: String
        public var topic: String
        public var schemaName: String
        public var messageEncoding: String
        /// The horus types whose codecs decode this channel (empty: unsupported).
        public var typeNames: [String]
    }

    /// The path given (file or bag directory) and the MCAP file read.
    public let path: String
    public let mcapPath: String
    public let reader: MCAPReader
    public let channels: [Channel]

    /// Opens `path`; `remaps` maps recorded topic -> graph topic.
    public init(path: String, remaps: [String: String] = [:], salvage: Bool = false) throws {
        self.path = path
        mcapPath = Rosbag2Directory.isDirectoryPath(path) ? try Rosbag2Directory.storageFile(path) : path
        reader = try MCAPReader(path: mcapPath, salvage: salvage)
        let registry = MessageCodecRegistry.shared
        var out: [Channel] = []
        for (id, ch) in reader.channels.sorted(by: { $0.key < $1.key }) {
            let schema = reader.schemas[ch.schemaID]
            let name = schema?.name ?? ""
            var types: [String] = []
            switch ch.messageEncoding {
            case "cdr":
                types = registry.codecs(ros2Type: Self.normalizedROS2Type(name)).map(\.typeName)
            case RecordFormat.messageEncoding:
                let horus = ch.metadata["horus_type"] ?? (name.hasPrefix("horus.") ? String(name.dropFirst(6)) : name)
                if registry.codecs(horus) != nil { types = [horus] }
            default: break
            }
            out.append(Channel(id: id, recordedTopic: ch.topic, topic: remaps[ch.topic] ?? ch.topic, schemaName: name,
                               messageEncoding: ch.messageEncoding, typeNames: types))
        }
        channels = out
    }

    /// "sensor_msgs/Image" (ROS 1 style or schema names without `msg`) -> "sensor_msgs/msg/Image".
    public static func normalizedROS2Type(_ name: String) -> String {
        let parts = name.split(separator: "/")
        return parts.count == 2 ? "\(parts[0])/msg/\(parts[1])" : name
    }

    /// Channels no horus type decodes.
    public var unsupported: [Channel] { channels.filter { $0.typeNames.isEmpty } }

    /// Graph topics the recording can feed, with the types each decodes into (for validation).
    public var externalTopics: [String: ExternalTopic] {
        var out: [String: ExternalTopic] = [:]
        for c in channels {
            out[c.topic] = ExternalTopic(types: c.typeNames.compactMap { try? MessageTypeName(validating: $0) },
                                         source: "\(c.schemaName) (\(c.messageEncoding)) on '\(c.recordedTopic)' in \(path)")
        }
        return out
    }

    /// One line per unsupported channel (printed once by replay and info).
    public var unsupportedNote: String? {
        let u = unsupported
        guard !u.isEmpty else { return nil }
        return "skipping \(u.count) channel(s) of types horus does not decode: " +
            u.map { "\($0.recordedTopic) (\($0.schemaName.isEmpty ? "no schema" : $0.schemaName), \($0.messageEncoding))" }.joined(separator: ", ")
    }

    /// Parses `--remap /from:=/to` arguments.
    public static func parseRemaps(_ args: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for a in args {
            let parts = a.components(separatedBy: ":=")
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw RecordError("--remap '\(a)': expected /recorded/topic:=/graph/topic")
            }
            out[parts[0]] = parts[1]
        }
        return out
    }
}
