import ArgumentParser
import Foundation

/// `horus-bench bridge`: the DDS bridge between two network namespaces ("hosts" joined by veth).
/// Latency: a 640x480 DepthImage (1.2 MB) pinged from a horus process in host A through bridge A
/// (`horus-run bridge`), DDS, bridge B, to an echo process in host B and back the same way (four
/// bridge hops), against `ddsperf ping`/`pong` with the same payload size, in interleaved rounds.
/// Throughput: 1920x1080 rgb8 at 30 Hz from A to B on reliable QoS: frames, gaps, MB/s, and the
/// CPU of each bridge process, busy and idle. Needs root (network namespaces).
struct BridgeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Bridge round trip (two hosts, two bridges) vs ddsperf, and 1080p throughput with bridge CPU (needs root)."
    )

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "Seconds measured per latency round and tool (after 1 s of warm-up).") var seconds = 5
    @Option(help: "Interleaved latency rounds (ddsperf, bridge, ddsperf, ...).") var rounds = 3
    @Option(help: "Seconds of 1080p rgb8 sent in the throughput run.") var throughputSeconds = 10
    @Option(help: "Frame rate of the throughput run.") var hz = 30.0
    @Option(help: "Seconds the idle CPU of the bridges is measured over.") var idleSeconds = 5
    @Option(help: "DDS domain (1...98).") var domain = 17
    @Option(help: "ddsperf executable (apt-get install cyclonedds-tools).") var ddsperf = "/usr/bin/ddsperf"
    @Option(help: "Cyclone SocketReceiveBufferSize min for both hosts, e.g. 4MB (needs net.core.rmem_max >= it); default: the bridge's own, min(4 MiB, rmem_max); ddsperf keeps Cyclone's.")
    var receiveBuffer: String?

    static let depthBytes = 640 * 480 * 4, rgbBytes = 1920 * 1080 * 3

    func validate() throws {
        guard seconds >= 2, rounds >= 1, throughputSeconds >= 1, hz > 0, idleSeconds >= 1 else { throw ValidationError("--seconds >= 2, --rounds/--throughput-seconds/--idle-seconds >= 1, --hz > 0") }
        guard (1...98).contains(domain) else { throw ValidationError("--domain must be in 1...98") }
    }

    func run() throws {
        Progress.quiet = common.quiet
        guard getuid() == 0 else {
            throw BenchError("horus-bench bridge needs root: it makes two network namespaces (ip netns); run it as root or with sudo")
        }
        guard FileManager.default.isExecutableFile(atPath: ddsperf) else { throw BenchError("ddsperf not found at \(ddsperf): apt-get install cyclonedds-tools") }
        let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let me = bin + "/horus-bench", runTool = bin + "/horus-run"
        for f in [runTool, bin + "/libhorus_dds.so"] where !FileManager.default.fileExists(atPath: f) {
            throw BenchError("\(f) not found: swift build -c release --product horus-run && swift build -c release --product horus_dds")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/dds-netns").path
        let hosts = try BridgeBenchHosts(script: script)
        if let receiveBuffer { try hosts.setReceiveBuffer(receiveBuffer) }
        defer { hosts.close() }
        let loadBefore = BridgeBenchHosts.loadAverage
        let runner = BridgeBenchRunner(hosts: hosts, me: me, runTool: runTool, ddsperf: ddsperf, domain: domain)

        var base = PercentileRows(), ours = PercentileRows()
        for round in 1...rounds {
            Progress.note("latency round \(round) of \(rounds): ddsperf")
            base.merge(try runner.ddsperfRound(seconds: seconds, size: Self.depthBytes))
            Progress.note("latency round \(round) of \(rounds): bridge")
            ours.merge(try runner.bridgeRound(seconds: seconds, tag: "l\(round)"))
            Progress.note("round \(round): ddsperf p50 \(Int(base.roundP50s.last ?? 0)) us, bridge p50 \(Int(ours.roundP50s.last ?? 0)) us")
        }
        Progress.note("throughput: 1080p rgb8 at \(hz) Hz for \(throughputSeconds) s")
        let t = try runner.throughput(seconds: throughputSeconds, hz: hz, idleSeconds: idleSeconds, frameBytes: Self.rgbBytes)
        Progress.note("throughput reference: ddsperf pub/sub, same size and rate")
        let perfLines = try runner.ddsperfThroughput(seconds: throughputSeconds, hz: hz, size: Self.rgbBytes)
        let loadAfter = BridgeBenchHosts.loadAverage

        print("DDS bridge, two network namespaces over veth, Cyclone DDS (socket receive buffer \(receiveBuffer.map { "min " + $0 } ?? "the bridge's default min(4 MiB, rmem_max); ddsperf: Cyclone's")), reliable KEEP_ALL; load average \(loadBefore) before, \(loadAfter) after")
        print("Round trip of a 640x480 32FC1 DepthImage (\(Self.depthBytes) B payload), \(rounds) interleaved rounds of \(seconds) s;")
        print("figures: median over all seconds of each second's percentile (ddsperf's half round trip doubled)")
        print("  round trip, us                                        p50        p90        p99  round trips")
        base.printRow("  ddsperf ping/pong, same payload size (baseline)")
        ours.printRow("  horus via bridge A, DDS, bridge B, echo, back")
        let ratio = ours.median(\.p50) / base.median(\.p50)
        print("  ratio bridge / ddsperf".padding(toLength: 50, withPad: " ", startingAt: 0)
              + String(format: " %8.2fx  %8.2fx  %8.2fx   goal p50 <= 1.25x: %@", ratio,
                       ours.median(\.p90) / base.median(\.p90), ours.median(\.p99) / base.median(\.p99), ratio <= 1.25 ? "met" : "NOT met"))
        print("  p50 per round, us: ddsperf \(base.roundP50s.map { String(Int($0)) }.joined(separator: " ")); bridge \(ours.roundP50s.map { String(Int($0)) }.joined(separator: " "))")
        print("")
        print("Throughput: 1920x1080 rgb8 Image (\(Self.rgbBytes) B) at \(hz) Hz for \(throughputSeconds) s, host A -> host B, reliable, depth 16")
        for line in t.lines { print("  " + line) }
        print("  ddsperf sub (reference, same size and rate), per-second lines:")
        for line in perfLines { print("    " + line) }
        if common.json {
            print("{\"bench\":\"bridge\",\"rtt_p50_us\":\(ours.median(\.p50)),\"rtt_p90_us\":\(ours.median(\.p90)),\"rtt_p99_us\":\(ours.median(\.p99)),"
                  + "\"ddsperf_p50_us\":\(base.median(\.p50)),\"ddsperf_p90_us\":\(base.median(\.p90)),\"ddsperf_p99_us\":\(base.median(\.p99)),"
                  + "\"ratio\":\(ratio),\"met\":\(ratio <= 1.25),\"throughput_received\":\(t.received),\"throughput_expected\":\(t.expected),"
                  + "\"throughput_mb_s\":\(t.mbs),\"cpu_bridge_a\":\(t.cpuA),\"cpu_bridge_b\":\(t.cpuB),\"idle_cpu_bridge_a\":\(t.idleA),\"idle_cpu_bridge_b\":\(t.idleB)}")
        }
        fflush(stdout)
    }
}

/// Per-second p50/p90/p99 rows (us) of one tool over all its rounds.
struct PercentileRows {
    var p50: [Double] = [], p90: [Double] = [], p99: [Double] = [], count = 0
    var roundP50s: [Double] = []

    mutating func add(_ a: Double, _ b: Double, _ c: Double, _ n: Int) {
        p50.append(a); p90.append(b); p99.append(c); count += n
    }

    /// Appends another round's rows and records that round's median p50.
    mutating func merge(_ r: PercentileRows) {
        p50 += r.p50; p90 += r.p90; p99 += r.p99; count += r.count
        roundP50s.append(r.median(\.p50))
    }

    func median(_ k: KeyPath<PercentileRows, [Double]>) -> Double {
        let s = self[keyPath: k].sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    func printRow(_ name: String) {
        print(name.padding(toLength: 50, withPad: " ", startingAt: 0)
              + String(format: " %9.0f  %9.0f  %9.0f  %10d", median(\.p50), median(\.p90), median(\.p99), count))
    }
}
