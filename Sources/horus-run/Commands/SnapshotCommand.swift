import ArgumentParser
import Foundation
import HorusPicture

/// `horus-run snapshot`: a PNG picture of a live topic's next message or of a recorded one.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a PNG picture of a message: a live topic's next one, or one from a recording.",
        discussion: """
        horus-run snapshot /map/costmap -o costmap.png
        horus-run snapshot run.mcap --topic /camera/depth --at 2.5 -o depth.png
        horus-run snapshot run_bag/ --topic /map/costmap -o map.png

        Recordings may be ROS 2 CDR (the default), rosbag2 directories or horus-encoded.

        Image is drawn as it is; DepthImage in the Turbo colormap with its range in meters \
        in the legend (black: no measurement); Costmap top-down with free / inflated / \
        inscribed / lethal / unknown colours, the world origin as a red (+x) / green (+y) \
        cross and a scale bar; PointCloud top-down, coloured by height.
        """
    )

    @Argument(help: "A live topic (e.g. /camera/depth), or a recording (.mcap file or rosbag2 directory) with --topic.")
    var source: String

    @Option(name: [.customShort("o"), .long], help: "PNG file to write.")
    var output: String

    @Option(name: .long, help: "Topic to draw from the recording.")
    var topic: String?

    @Option(name: .long, help: "Seconds after the recording's first message (default 0).")
    var at: Double?

    @Option(name: .long, help: "Seconds to wait for a live message.")
    var timeout: Double = 10

    /// An MCAP file, or a rosbag2 directory (one holding metadata.yaml), else a live topic.
    var isRecording: Bool {
        source.hasSuffix(".mcap") || FileManager.default.fileExists(atPath: source + "/metadata.yaml")
            || (!source.hasPrefix("/") && FileManager.default.fileExists(atPath: source))
    }

    func validate() throws {
        if isRecording {
            guard topic != nil else { throw ValidationError("a recording needs --topic TOPIC") }
            if let at, !(at >= 0 && at.isFinite) { throw ValidationError("--at must be >= 0 seconds, got \(at)") }
        } else {
            if topic != nil || at != nil { throw ValidationError("--topic and --at are for recordings; '\(source)' is a live topic") }
            guard timeout > 0 else { throw ValidationError("--timeout must be > 0") }
        }
    }

    func run() throws {
        try withExitCodes {
            StopSignal.install()
            let (picture, what) = isRecording
                ? try RecordedPicture.render(path: source, topic: topic!, seconds: at ?? 0)
                : try LivePicture.next(topic: source, timeout: timeout)
            do { try PNGFile.write(picture, to: output) } catch { throw ExitCodeError.topic("\(error)") }
            Console.out("\(isRecording ? topic! : source): \(what) -> \(output) (\(picture.width)x\(picture.height) PNG)")
        }
    }
}
