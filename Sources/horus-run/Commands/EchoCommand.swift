import ArgumentParser
import Foundation

/// `horus-run echo TOPIC`: one summary line per message.
struct EchoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Print one summary line per message of a live topic.",
        discussion: """
        The message type is read from the topic's header. Image, DepthImage, PointCloud and \
        Tensor print a one-line summary (shape, encoding, frame id, timestamp, mean), never \
        the payload; plain structs print their size and bytes in hex. Ctrl-C stops.
        """
    )

    @Argument(help: "Topic name, e.g. /camera/image.")
    var topic: String

    @Option(name: [.customShort("n"), .long], help: "Exit after N messages.")
    var count: Int?

    @Option(name: .long, help: "Exit after this many seconds (status 1 if --count was not reached).")
    var timeout: Double?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be >= 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be > 0") }
    }

    func run() throws {
        try withExitCodes {
            let tap = try TopicTap(topic: topic)
            StopSignal.install()
            let start = Date()
            var seen = 0
            try tap.run(summarize: true, until: { timeout.map { Date().timeIntervalSince(start) >= $0 } ?? false }) { _, line in
                Console.out(line ?? "")
                seen += 1
                return count.map { seen < $0 } ?? true
            }
            if let count, seen < count, !StopSignal.requested {
                throw ExitCodeError.topic("timed out after \(seen) of \(count) messages")
            }
        }
    }
}
