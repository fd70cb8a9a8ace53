import ArgumentParser
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench pingpong`: the publish path a camera driver takes, measured as round trip
/// / 2 between two busy-polling processes (pinned to CPUs 0 and 1): a sample of 64 B,
/// 921,600 B or 6,220,800 B goes out on one topic, the other process answers with a
/// 64-byte sample on a second. Two modes: a fresh loaned (unzeroed) sample per message,
/// and one sample re-published. Through the Swift API, the C API (a C program over
/// libhorus_c.so, compiled with `cc`), and, as the same-run baseline, iceoryx's C binding
/// with loaned chunks (compiled against the installed headers; RouDi started and stopped
/// here). Also shown: the ratio to the bare cross-core spin hop of `horus-bench topics`,
/// and to the method's own floor without horus (`PingPongFloor`).
struct PingPongBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingpong",
        abstract: "Round trip / 2 with loaned or re-published samples (Swift API, C API) vs iceoryx and the bare spin hop."
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "Round trips per case (split over the rounds); the first 10% of each run are warm-up, discarded.")
    var count = 20_000

    @Option(help: "Rounds the cases are interleaved in.")
    var rounds = 3

    @Option(help: "APIs to run: any of swift,c,iceoryx (comma-separated).")
    var apis = "swift,c,iceoryx"

    @Option(help: "Send period of the bare spin hop baseline, microseconds.")
    var hopPaceUs = 20

    @Flag(help: "Instead: count instructions per message of the C API and Python with valgrind's callgrind.")
    var callgrind = false

    static let sizes: [(label: String, bytes: Int)] = [("64 B", 64), ("921,600 B", 921_600), ("6,220,800 B", 6_220_800)]

    func validate() throws {
        guard count >= 10 else { throw ValidationError("--count must be at least 10") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    }

    func run() throws {
        Progress.quiet = common.quiet
        setenv("HORUS_NAMESPACE", "bench-pp-\(getpid())", 1)
        atexit { TopicsBench.cleanSharedMemory() }
        let pool = try Pool.open(name: "pingpong", configuration: PoolConfiguration(classes: [
            .init(slotSize: 256, slotCount: 64),
            .init(slotSize: 1 << 20, slotCount: 16),
            .init(slotSize: 8 << 20, slotCount: 16),
        ], processCapacity: 8))
        let selected = Set(apis.split(separator: ",").map(String.init))
        let tools = try PingPongTools(wantC: selected.contains("c") && !callgrind, wantIceoryx: selected.contains("iceoryx") && !callgrind)
        defer { tools.shutdown() }
        if callgrind { return try PingPongCallgrind.run(tools: tools) }
        TopicsBench.pin(cpu: 0)
        // The bare spin hop of `horus-bench topics` (its code, its peer), busy sender.
        let topics = try TopicsBench.parse(["--warmup", "1000"])
        let runner = PingPongRunner(pool: pool, tools: tools)

        var labels = ["bare spin hop", "floor"]
        var cases: [InterleavedRounds.Case] = [
            { n in [try topics.runFutex(pool: pool, count: n, pace: UInt64(hopPaceUs) * 1000, spinning: true, pacing: .busy)] },
            { n in [PingPongRunner.oneWay(try PingPongFloor.run(pool: pool, count: n))] },
        ]
        for size in Self.sizes {
            for api in ["swift", "c"] where selected.contains(api) && (api == "swift" || tools.horusC != nil) {
                for fresh in [true, false] {
                    labels.append("\(api) \(fresh ? "fresh" : "republish") \(size.label)")
                    cases.append { n in [try runner.run(api: api, bytes: size.bytes, fresh: fresh, count: n)] }
                }
            }
            if tools.iceoryx != nil {
                labels.append("iceoryx \(size.label)")
                cases.append { n in [try runner.run(api: "iceoryx", bytes: size.bytes, fresh: true, count: n)] }
            }
        }
        let pooled = try InterleavedRounds(rounds: rounds).run(count: count, cases)
        var byLabel = [String: InterleavedRounds.Pooled]()
        for (l, p) in zip(labels, pooled) { byLabel[l] = p }
        let results = PingPongReport(byLabel: byLabel, selected: selected, tools: tools, count: count).results()
        BenchOutput.emit(bench: "pingpong", title: "horus-bench pingpong (round trip / 2, busy polling, CPUs 0 and 1; \(count) round trips per case, first 10% of each run discarded)",
                         results: results, json: common.json)
    }
}

/// Runs one case: a ping side (this process for the Swift API, a C program otherwise)
/// and its echo process; returns round trip / 2 of each kept message, in ns.
struct PingPongRunner {
    let pool: Pool
    let tools: PingPongTools
    nonisolated(unsafe) static var runs = 0

    func run(api: String, bytes: Int, fresh: Bool, count: Int) throws -> [Double] {
        Self.runs += 1
        let tag = "pp\(Self.runs)"
        let rtts: [Int64]
        switch api {
        case "swift": rtts = try swiftPing(tag: tag, bytes: bytes, fresh: fresh, count: count)
        default:
            let exe = api == "c" ? tools.horusC! : tools.iceoryx!
            let results = "\(tools.workDir)/\(tag).bin"
            let args = ["\(bytes)", fresh ? "fresh" : "republish", "\(count)"]
            let echo = try PingPongProcesses.spawn([exe, "echo"] + args + ["1", "-", tag])
            let ping = try PingPongProcesses.spawn([exe, "ping"] + args + ["0", results, tag])
            try PingPongProcesses.wait(ping, "\(api) ping side")
            try PingPongProcesses.wait(echo, "\(api) echo side")
            rtts = try PingPongProcesses.readResults(results)
        }
        return Self.oneWay(rtts)
    }

    /// Round trips (ns) to one-way figures: the first 10% (warm-up) dropped, the rest halved.
    static func oneWay(_ rtts: [Int64]) -> [Double] {
        rtts.dropFirst(rtts.count / 10).map { Double($0) / 2 }
    }

    /// The Swift API ping side, in this process (CPU 0), against a `pingpong-peer`.
    private func swiftPing(tag: String, bytes: Int, fresh: Bool, count: Int) throws -> [Int64] {
        let publisher = try Publisher<Tensor>(topic: tag + "-ping", capacity: 4)
        let subscriber = try Subscriber<Tensor>(topic: tag + "-pong", capacity: 4, waitPolicy: .spin)
        let peer = try PingPongProcesses.spawn(["/proc/self/exe", "pingpong-peer", "--tag", tag, "--count", "\(count)", "--pool", pool.name])
        let deadline = monotonicNs() &+ 20_000_000_000
        while publisher.ring.participants.reduce(0, { $0 + $1.subscribers }) < 1 {
            guard monotonicNs() < deadline else { kill(peer, SIGKILL); throw BenchError("pingpong-peer did not subscribe") }
            usleep(1000)
        }
        let kept = fresh ? nil : try Tensor.loan(shape: [bytes], dtype: .uint8, pool: pool)
        var rtts = [Int64](repeating: 0, count: count)
        for i in 0..<count {
            let seq = UInt64(i + 1)
            let t0 = monotonicNs()
            let sample = try kept ?? Tensor.loan(shape: [bytes], dtype: .uint8, pool: pool)
            sample.baseAddress.storeBytes(of: seq, as: UInt64.self)
            try publisher.publish(sample)
            while true {
                guard let answer = subscriber.receive(timeout: 20) else { kill(peer, SIGKILL); throw BenchError("no answer to \(seq)") }
                if answer.baseAddress.load(as: UInt64.self) == seq { break }
            }
            rtts[i] = Int64(monotonicNs() &- t0)
        }
        try PingPongProcesses.wait(peer, "pingpong-peer")
        return rtts
    }
}

/// The echo side of the Swift API case (not listed in help): answers each ping with
/// its sequence number in one re-published 64-byte sample.
struct PingPongPeer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pingpong-peer", shouldDisplay: false)

    @Option var tag: String
    @Option var count: Int
    @Option var pool: String
    /// The floor case instead: the descriptor (hex) of the tensor holding its four lines.
    @Option var floor: String?

    func run() throws {
        TopicsBench.pin(cpu: 1)
        let p = try Pool.attach(name: pool)
        if let floor { return try PingPongFloor.echo(descriptor: floor, count: count) }
        let subscriber = try Subscriber<Tensor>(topic: tag + "-ping", capacity: 4, waitPolicy: .spin)
        let publisher = try Publisher<Tensor>(topic: tag + "-pong", capacity: 4)
        let answer = try Tensor.loan(shape: [64], dtype: .uint8, pool: p)
        let n = count
        for i in 0..<n {
            guard let ping = subscriber.receive(timeout: 20) else { throw BenchError("pingpong-peer: no ping \(i)") }
            answer.baseAddress.storeBytes(of: ping.baseAddress.load(as: UInt64.self), as: UInt64.self)
            try publisher.publish(answer)
        }
    }
}
