import Foundation
import HorusGraph
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run record`: runs a graph and records its topics.
public enum RecordSession {
    /// Runs `graph` for `duration` seconds (nil: until `shouldStop`), recording `topics`
    /// (nil: the graph's `record:` topics, else all) into `output` (nil: the graph's
    /// `record: output`; a path ending in `/` is a rosbag2 directory: metadata.yaml + the MCAP file).
    /// Returns what was recorded.
    public static func run(graph: ValidatedGraph, catalog: NodeCatalog, output: String?, topics: [String]?,
                           duration: Double?, ticks: UInt64? = nil, encoding: RecordEncoding = .ros2, chunkSize: Int = 4 << 20,
                           shouldStop: @escaping () -> Bool = { false },
                           log: @escaping @Sendable (String) -> Void = { print($0) }) throws -> Recorder.Summary {
        guard let path = output ?? graph.record?.output?.value else {
            throw RecordError("no output file: pass -o FILE or add `record: {output: FILE}` to the graph")
        }
        let bagDirectory = Rosbag2Directory.isDirectoryPath(path) ? path : nil
        if bagDirectory != nil && encoding != .ros2 { throw RecordError("\(path): a rosbag2 directory needs --encoding ros2") }
        let file = try bagDirectory.map { try Rosbag2Directory.prepare($0) } ?? path
        let clock = WallClock()
        // Subscribe before the graph starts so nothing is missed.
        let recorder = try Recorder(path: file, graph: graph, topics: topics, encoding: encoding, chunkSize: chunkSize, clock: clock)
        recorder.onWarning = { log("recorder: \($0)") }
        let runner = try GraphRunner(graph: graph, catalog: catalog,
                                     options: RunOptions(duration: duration, ticks: ticks, clock: clock, log: log))
        recorder.start()
        do { try runner.run(shouldStop: shouldStop) } catch {
            _ = try? recorder.stop()
            throw error
        }
        let summary = try recorder.stop()
        if let dir = bagDirectory { try Rosbag2Directory.writeMetadata(dir, summary: summary) }
        return summary
    }

    /// A line per topic: written, bytes, dropped.
    public static func format(_ s: Recorder.Summary) -> String {
        var lines = ["recorded \(s.messages) messages (\(String(format: "%.1f", Double(s.bytes) / 1e6)) MB) to \(s.path)"]
        for t in s.topics {
            lines.append("  \(t.topic) [\(t.typeName) as \(t.schemaName), \(t.messageEncoding)]: \(t.written) messages, \(String(format: "%.1f", Double(t.bytes) / 1e6)) MB" +
                         (t.dropped > 0 ? ", \(t.dropped) LOST (disk too slow)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
