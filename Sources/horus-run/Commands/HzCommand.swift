import ArgumentParser
import Foundation

/// `horus-run hz TOPIC`: message rate of a live topic.
struct HzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hz",
        abstract: "Measure the message rate of a live topic, printing every second.",
        discussion: """
        Each line: rate (messages/s over the window), min and max interval between \
        messages, jitter (standard deviation of the intervals) and the message count in the \
        window. Ctrl-C stops.
        """
    )

    @Argument(help: "Topic name, e.g. /camera/image.")
    var topic: String

    @Option(name: .long, help: "Sliding window in seconds over which statistics are computed.")
    var window: Double = 10

    @Option(name: .long, help: "Exit after this many seconds.")
    var duration: Double?

    func validate() throws {
        if !(window > 0) { throw ValidationError("--window must be > 0") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be > 0") }
    }

    /// Statistics over arrival times (ns).
    static func line(_ arrivals: [UInt64], now: UInt64, window: Double) -> String {
        guard arrivals.count >= 2 else { return "no messages (\(arrivals.count) in the last \(Fmt.num(window)) s)" }
        let intervals = zip(arrivals.dropFirst(), arrivals).map { Double($0 - $1) / 1e6 }
        let mean = intervals.reduce(0, +) / Double(intervals.count)
        let variance = intervals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(intervals.count)
        let rate = mean > 0 ? 1000 / mean : 0
        return "rate \(Fmt.num(rate)) Hz  min \(Fmt.num(intervals.min()))ms  max \(Fmt.num(intervals.max()))ms  jitter \(Fmt.num(variance.squareRoot()))ms  window \(arrivals.count) msgs"
    }

    func run() throws {
        try withExitCodes {
            let tap = try TopicTap(topic: topic)
            StopSignal.install()
            var arrivals: [UInt64] = []
            let start = DispatchTime.now().uptimeNanoseconds
            var nextPrint = start + 1_000_000_000
            let windowNs = UInt64(window * 1e9)
            let endNs = duration.map { start + UInt64($0 * 1e9) }
            func tick(_ now: UInt64) {
                guard now >= nextPrint else { return }
                arrivals.removeAll { now - $0 > windowNs }
                Console.out(Self.line(arrivals, now: now, window: window))
                nextPrint += 1_000_000_000
            }
            // The tap's `until` runs between messages too, so lines keep coming when idle.
            try tap.run(summarize: false, until: {
                let now = DispatchTime.now().uptimeNanoseconds
                tick(now)
                return endNs.map { now >= $0 } ?? false
            }) { t, _ in
                arrivals.append(t)
                tick(t)
                return true
            }
        }
    }
}
