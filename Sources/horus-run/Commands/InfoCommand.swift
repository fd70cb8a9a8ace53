import ArgumentParser
import HorusRecord

/// `horus-run info FILE|BAGDIR`: topics, types, counts, duration, rates, and the horus type each channel replays as.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Summarize an MCAP recording or a rosbag2 directory.")

    @Argument(help: "Recording: an MCAP file or a rosbag2 directory.") var file: String

    func run() throws {
        let source = try RecordingSource(path: file, salvage: true)
        print(MCAPInfo(reader: source.reader).formattedTable())
        print("replays as:")
        for c in source.channels {
            print("  \(c.recordedTopic): \(c.typeNames.isEmpty ? "not decoded (skipped by replay)" : c.typeNames.joined(separator: " or "))")
        }
    }
}
