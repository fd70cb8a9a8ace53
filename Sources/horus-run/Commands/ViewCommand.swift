import ArgumentParser
import Foundation
import HorusTopics

/// `horus-run view`: serve the live topics of the namespace to Foxglove.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Serve the namespace's live topics over the Foxglove WebSocket protocol.",
        discussion: """
        Open Foxglove, "Open connection", Foxglove WebSocket, ws://127.0.0.1:8765. Every live \
        topic (and every one that appears later) is a channel, withdrawn when its last publisher \
        leaves; the graphs publishing them are not touched (the view reads with its own cursor, \
        at background priority; a slow client loses messages, counted in the summary). Messages \
        are ROS 2 CDR (ros2msg schemas, shown by Foxglove's own panels), or horus's record \
        encoding for types without a ROS 2 message.
        """
    )

    @Argument(help: "[HOST:]PORT to listen on (default 127.0.0.1:8765; another host only when given).")
    var address: String = "127.0.0.1:8765"

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be > 0") }
    }

    func run() throws {
        try withExitCodes {
            _ = try NodeEnvironment.catalog()  // registers the built-in message types (Pose, Costmap)
            let bridge: ViewBridge
            do { bridge = try ViewBridge(address: address) } catch { throw ExitCodeError.topic("\(error)") }
            StopSignal.install()
            bridge.start { b in
                // A topic is served while a live process publishes it; when the last publisher
                // leaves (or the ring goes), clients get an unadvertise.
                let live = TopicInspector.scan().topics.filter { $0.participants.contains { $0.publishers > 0 } }
                let (added, removed) = b.sync(with: live.map { .init(topic: $0.topic, typeName: $0.typeName, capacity: $0.capacity) })
                for t in added { Console.errLine("view: serving \(t.topic) [\(t.typeName)]") }
                for t in removed { Console.errLine("view: no longer serving \(t) (no publisher)") }
            }
            Console.errLine("view: Foxglove WebSocket server on \(bridge.url) (Ctrl-C to stop)")
            let end = duration.map { Date().addingTimeInterval($0) }
            while !StopSignal.requested, end.map({ Date() < $0 }) ?? true { usleep(50_000) }
            for line in bridge.stop() { Console.out(line) }
        }
    }
}
