import ArgumentParser
import Atomics
import CHorus
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench topics`: one-way latency between two real processes.
///
/// The bench re-executes itself (`/proc/self/exe topics-peer ...`) as the receiving
/// process(es). Both sides read CLOCK_MONOTONIC (same machine, same clock): the sender
/// stamps the send time into the message (Image: the descriptor's timestamp_ns; Tensor:
/// the first 8 bytes of its payload; socket: an 8-byte header; futex: a shared word) and
/// the receiver records `receive_time - send_time` right after the message is in hand
/// (for a topic: after `receive()` returned the decoded, validated, slot-retaining
/// message). Receivers write their samples to a file the bench reads back.
///
/// Sends are paced to a fixed period so queues never build (the socket also waits for a
/// 1-byte ack that is not part of the measured interval). How the sender waits between
/// sends is part of each row (`SenderPacing`): in spin mode both ends own a core, so the
/// publisher busy-waits (`.busy`, a hot sender); the cold rows repeat the spin cases
/// with a publisher that sleeps between sends (`.sleep`: it starts each publish with
/// the caches and TLB its sleep left behind), as do the blocking and 1->3-process rows,
/// which need the sender's core free. Spin rows also show their ratio to the bare spin
/// hop of the same run, paced the same way: the machine's cross-core transfer time
/// varies between runs, and a topic handoff costs a few such transfers (entry lines,
/// then the slot's reference count) plus the descriptor decode.
struct TopicsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Cross-process topic latency (spin, blocking, 1->3) vs Unix socket and bare futex hop."
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "Rounds the spin, blocking and 1->3 cases are interleaved in (each case's samples are split among them).")
    var rounds = 5

    @Option(help: "Samples per spin case (after warmup).")
    var samples = 20_000

    @Option(help: "Samples per blocking / futex case.")
    var blockSamples = 5_000

    @Option(help: "Warmup messages per case (not recorded).")
    var warmup = 1_000

    @Option(help: "Send period for spin cases, microseconds.")
    var paceUs = 50

    @Option(help: "Send period for blocking, futex and 1->3 cases, microseconds.")
    var blockPaceUs = 200

    @Option(help: "1->3 subscribers: polls before yielding between polls (spinyield) or before sleeping (spinblock).")
    var fanoutSpins = 1000

    @Option(help: "Wait policy of the 1->3 subscribers: spinyield (spinThenYield) or spinblock (spinThenBlock).")
    var fanoutPolicy = "spinyield"

    @Option(help: "Samples for the socket baseline at 64 B and 921,600 B.")
    var socketSamples = 3_000

    @Option(help: "Samples for the socket baseline at 6,220,800 B.")
    var socketSamplesLarge = 400

    @Flag(inversion: .prefixedNo, help: "Pin sender and receiver to different CPUs in the 1:1 cases (0 and 1).")
    var pin = true

    @Option(help: "Cases to run: any of futex,socket,spin,block,fanout,local (comma-separated).")
    var cases = "futex,socket,spin,block,fanout,local"

    @Flag(inversion: .prefixedNo, help: "Also run the spin 1:1 cases with a publisher that sleeps between sends (cold rows).")
    var coldRows = true

    @Option(help: ArgumentHelp("Run only this many same-thread Image publish + tryReceive round trips on a shared ring, untimed, then exit (for perf).",
                               visibility: .hidden))
    var profileRoundTrips: Int?

    func validate() throws {
        guard samples > 0, blockSamples > 0, warmup >= 0, paceUs > 0, blockPaceUs > 0 else {
            throw ValidationError("samples and pace must be positive")
        }
        guard socketSamples > 0, socketSamplesLarge > 0 else { throw ValidationError("socket samples must be positive") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    }

    func run() throws {
        Progress.quiet = common.quiet
        // Private namespace before any pool or topic opens; children inherit it.
        setenv("HORUS_NAMESPACE", "bench-\(getpid())", 1)
        // Registered before the first pool opens, so it runs after the pools' own atexit
        // detach: whatever is left of this namespace in /dev/shm is removed.
        atexit { TopicsBench.cleanSharedMemory() }
        let pool = try Pool.open(name: "topics", configuration: PoolConfiguration(classes: [
            .init(slotSize: 256, slotCount: 256),
            .init(slotSize: 1 << 20, slotCount: 16),
            .init(slotSize: 8 << 20, slotCount: 16),
        ], processCapacity: 8))
        Progress.note("namespace \(HorusNamespace.current), pool '\(pool.name)'")
        let clock = LatencySampler.clockCharacteristics()
        Progress.note("clock: resolution \(clock.resolutionNs) ns, read cost \(String(format1: clock.readCostNs, 1)) ns")

        let sizes: [(label: String, bytes: Int, h: Int, w: Int)] = [
            ("64 B", 64, 0, 0), ("921,600 B", 921_600, 480, 640), ("6,220,800 B", 6_220_800, 1080, 1920),
        ]
        let spinPeriod = UInt64(paceUs) * 1000, blockPace = UInt64(blockPaceUs) * 1000
        var results = [BenchResult]()
        var spinP50 = [Double]()

        if let n = profileRoundTrips {
            let publisher = try Publisher<Image>(topic: "bench-profile", capacity: 64)
            let subscriber = try Subscriber<Image>(topic: "bench-profile", capacity: 64, waitPolicy: .spin)
            let image = try Image(height: 480, width: 640, encoding: .rgb8, pool: pool)
            for _ in 0..<n {
                try publisher.publish(image)
                blackHole(subscriber.tryReceive())
            }
            Progress.note("ran \(n) round trips")
            return
        }
        let selected = Set(cases.split(separator: ",").map(String.init))
        if pin { Self.pin(cpu: 0) }
        // The spin and blocking cases run in interleaved rounds with their baseline hop
        // (see InterleavedRounds): the VM's transfer and wake-up times move for hundreds of
        // milliseconds at a time, and each row and its baseline must see the same states.
        let interleaved = InterleavedRounds(rounds: rounds)

        // (a) Socket baselines: the full payload copied through an AF_UNIX stream.
        let sockets = try sizes.enumerated().map { i, size in
            selected.contains("socket")
                ? Percentiles(try runSocket(bytes: size.bytes, count: i == 2 ? socketSamplesLarge : socketSamples, pace: spinPeriod)) : nil
        }
        // Spin 1:1, hot and cold publisher, against the bare spin hop.
        var spinHop: Percentiles?
        var spinRows = sizes.map { _ in (spin: nil, cold: nil) as (spin: InterleavedRounds.Pooled?, cold: InterleavedRounds.Pooled?) }
        if selected.contains("spin") {
            var cases: [InterleavedRounds.Case] = [{ n in
                [try runFutex(pool: pool, count: n, pace: spinPeriod, spinning: true, pacing: .busy)]
            }]
            for size in sizes {
                cases.append { n in [try runTopic(pool: pool, size: size, subscribers: 1, policy: "spin", count: n, pace: spinPeriod, pacing: .busy)] }
                if coldRows {
                    cases.append { n in [try runTopic(pool: pool, size: size, subscribers: 1, policy: "spin", count: n, pace: spinPeriod, pacing: .sleep)] }
                }
            }
            let pooled = try interleaved.run(count: samples, cases)
            spinHop = pooled[0].stats()
            let perSize = coldRows ? 2 : 1
            for k in sizes.indices {
                spinRows[k] = (pooled[1 + k * perSize], coldRows ? pooled[2 + k * perSize] : nil)
            }
        }
        for (k, size) in sizes.enumerated() {
            let spin = spinRows[k].spin?.stats()
            if let spin { spinP50.append(spin.p50) }
            results += spinResults(size: size.label, spin: spin.map { ($0, spinRows[k].spin!.spreadNote) },
                                   cold: spinRows[k].cold.flatMap { c in c.stats().map { ($0, c.spreadNote) } },
                                   sock: sockets[k], spinHop: spinHop, last: k == sizes.count - 1)
        }
        if let spinHop {
            results.append(BenchResult(name: "  baseline: bare spin hop (store -> seen)", stats: spinHop,
                                       note: "receiver polls a shared word, sender (busy-waiting between sends) stamps + stores it: the machine's floor "
                                           + "for any spinning handoff; in the same rounds as the spin rows"))
        }

        // Blocking 1:1 against the bare futex hop.
        if selected.contains("block") || selected.contains("futex") {
            var cases = [InterleavedRounds.Case]()
            if selected.contains("futex") { cases.append { n in [try runFutex(pool: pool, count: n, pace: blockPace)] } }
            if selected.contains("block") {
                for size in sizes {
                    cases.append { n in [try runTopic(pool: pool, size: size, subscribers: 1, policy: "block", count: n, pace: blockPace, pacing: .sleep)] }
                }
            }
            let pooled = try interleaved.run(count: blockSamples, cases)
            let futexStats = selected.contains("futex") ? pooled[0].stats() : nil
            for (k, size) in sizes.enumerated() where selected.contains("block") {
                let row = pooled[(futexStats == nil ? 0 : 1) + k]
                guard let block = row.stats() else { continue }
                results.append(BenchResult(name: "topic block 1:1 \(size.label)", stats: block,
                                           baselineName: futexStats == nil ? nil : "bare futex hop", baseline: futexStats,
                                           goal: futexStats == nil ? nil : .ratioAtMost(1.5), note: row.spreadNote))
            }
            if let futexStats {
                results.append(BenchResult(name: "  baseline: bare futex hop (wake -> woken)", stats: futexStats,
                                           note: "shared word in a pool slot; sender stores stamp, bumps word, FUTEX_WAKE; receiver in FUTEX_WAIT; "
                                               + "in the same rounds as the blocking rows; " + pooled[0].spreadNote))
            }
        }
        if selected.contains("local") { results += try localResults(pool: pool) }
        if selected.contains("fanout") {  // each 1:3 case sets its own CPU pinning
            results += try fanoutResults(pool: pool, sizes: sizes, count: blockSamples, pace: blockPace, spinPeriod: spinPeriod)
        }
        // Flatness of spin latency in payload size.
        if let lo = spinP50.min(), let hi = spinP50.max() {
            Progress.note("spin p50 across sizes: \(spinP50.map(formatNs).joined(separator: ", ")) (max/min \(formatRatio(hi / lo)))")
        }
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        var loadavg = [Double](repeating: 0, count: 3)
        _ = getloadavg(&loadavg, 3)
        BenchOutput.emit(bench: "topics",
                         title: "horus-bench topics (one-way latency between processes; \(cores) cores, load \(String(format1: loadavg[0], 2)); baseline = its p50, same run)",
                         results: results, json: common.json)
    }

    /// The table rows of one payload size's spin 1:1 case: the hot-publisher row against
    /// the bare spin hop (with the 400 ns goal), its cold-publisher twin, the socket.
    /// `spin` and `cold` are each a row's percentiles with the note on its per-round spread.
    private func spinResults(size: String, spin: (Percentiles, spread: String)?, cold: (Percentiles, spread: String)?,
                             sock: Percentiles?, spinHop: Percentiles?, last: Bool) -> [BenchResult] {
        var results = [BenchResult]()
        let hopName = spinHop == nil ? nil : "bare spin hop"
        if let (spin, spread) = spin {
            var notes = ["publisher process on CPU 0 (busy-waits between sends), spinning subscriber process on CPU 1; "
                         + "time = CLOCK_MONOTONIC stamp before publish() -> validated, slot-retaining message in the subscriber",
                         spread]
            if let sock {
                let faster = sock.p50 / spin.p50
                notes.append("unix socket p50 \(formatNs(sock.p50)): topic is \(String(format1: faster, 0))x faster")
                if last { notes.append("goal >= 500x faster than the socket -> \(faster >= 500 ? "PASS" : "MISS")") }
            }
            results.append(BenchResult(name: "topic spin 1:1 \(size)", stats: spin, baselineName: hopName, baseline: spinHop,
                                       goal: .p50AtMost(400), note: notes.joined(separator: "; ")))
        }
        if let (cold, spread) = cold {
            results.append(BenchResult(name: "  spin 1:1 \(size), cold publisher", stats: cold, baselineName: hopName, baseline: spinHop,
                                       note: "as the row above, but the publisher sleeps between sends (clock_nanosleep): "
                                           + "each publish starts with what its sleep left in the caches and TLB; " + spread))
        }
        if let sock {
            results.append(BenchResult(name: "  baseline: unix socket \(size)", stats: sock,
                                       note: "socketpair(AF_UNIX, SOCK_STREAM); blocking read of 8 B stamp + full payload, 1 B ack (not timed)"))
        }
        return results
    }

    // MARK: - Cases

    /// One publisher (this process) to `subscribers` peer processes.
    /// With `grouped`, the subscribers live in one peer process (one thread polling
    /// them in turn) instead of one process each.
    func runTopicByTicket(pool: Pool, size: (label: String, bytes: Int, h: Int, w: Int), subscribers: Int, policy: String,
                          count: Int, pace: UInt64, pacing: SenderPacing, grouped: Bool = false) throws -> [[Double?]] {
        let tag = "\(policy)-\(subscribers)-\(size.bytes)-\(pacing)\(grouped ? "-grouped" : "")"
        let topic = "bench-\(tag)"
        Progress.note("topic \(size.label), \(policy), 1:\(subscribers): \(count) samples, period \(pace / 1000) us, sender \(pacing)")
        let total = count + warmup
        let isTensor = size.h == 0
        var peers = [Peer]()
        let cpuArgs = pin && (subscribers == 1 || grouped) ? ["--cpu", "1"] : []
        let processes = grouped ? 1 : subscribers
        let groupArgs = grouped ? ["--group", "\(subscribers)"] : []
        /// Each peer's samples, one array per subscriber (a grouped peer's file holds them
        /// one after another).
        func collect(_ peers: [Peer]) throws -> [[Double?]] {
            let all = try peers.map { try $0.collectByTicket() }
            guard grouped, let one = all.first else { return all }
            let n = one.count / subscribers
            return (0..<subscribers).map { Array(one[($0 * n)..<(($0 + 1) * n)]) }
        }
        var publishCost = [Double]()
        publishCost.reserveCapacity(total)
        if isTensor {
            let publisher = try Publisher<Tensor>(topic: topic, capacity: 64)
            let tensors = try (0..<8).map { _ in try Tensor(shape: [16], dtype: .float32, pool: pool) }
            for k in 0..<processes {
                peers.append(try Peer.spawn(["--role", "sub-tensor", "--topic", topic, "--policy", policy,
                                             "--spins", "\(fanoutSpins)", "--pool", pool.name] + cpuArgs + groupArgs,
                                            total: total, warmup: warmup, tag: "\(tag)-\(k)"))
            }
            for p in peers { try p.waitReady() }
            var next = horus_monotonic_ns() &+ pace
            for i in 0..<total {
                next = paceUntil(next, pace, pacing)
                let t = tensors[i & 7]
                let t0 = horus_monotonic_ns()
                t.baseAddress.storeBytes(of: t0, as: UInt64.self)
                try publisher.publish(t)
                publishCost.append(Double(horus_monotonic_ns() &- t0))
            }
            Progress.note("  publisher side: stamp -> publish() returned p50 \(formatNs(Percentiles(publishCost).p50))")
            return try collect(peers)
        } else {
            let publisher = try Publisher<Image>(topic: topic, capacity: 64)
            var images = try (0..<4).map { _ in try Image(height: size.h, width: size.w, encoding: .rgb8, pool: pool) }
            for k in 0..<processes {
                peers.append(try Peer.spawn(["--role", "sub-image", "--topic", topic, "--policy", policy,
                                             "--spins", "\(fanoutSpins)", "--pool", pool.name,
                                             "--bytes", "\(size.bytes)"] + cpuArgs + groupArgs,
                                            total: total, warmup: warmup, tag: "\(tag)-\(k)"))
            }
            for p in peers { try p.waitReady() }
            var next = horus_monotonic_ns() &+ pace
            for i in 0..<total {
                next = paceUntil(next, pace, pacing)
                let t0 = horus_monotonic_ns()
                images[i & 3].timestampNs = t0
                try publisher.publish(images[i & 3])
                publishCost.append(Double(horus_monotonic_ns() &- t0))
            }
            Progress.note("  publisher side: stamp -> publish() returned p50 \(formatNs(Percentiles(publishCost).p50))")
            return try collect(peers)
        }
    }

    /// One publisher to `subscribers` peers: every received sample of every peer (ns).
    private func runTopic(pool: Pool, size: (label: String, bytes: Int, h: Int, w: Int), subscribers: Int, policy: String,
                          count: Int, pace: UInt64, pacing: SenderPacing) throws -> [Double] {
        try runTopicByTicket(pool: pool, size: size, subscribers: subscribers, policy: policy, count: count, pace: pace, pacing: pacing)
            .flatMap { $0.compactMap { $0 } }
    }

    /// Unix domain stream socket: 8-byte send stamp + full payload, receiver acks with 1 byte.
    private func runSocket(bytes: Int, count: Int, pace: UInt64) throws -> [Double] {
        Progress.note("unix socket \(bytes) B: \(count) samples")
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { throw BenchError("socketpair: errno \(errno)") }
        for fd in fds {
            var big: Int32 = 8 << 20
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, socklen_t(MemoryLayout<Int32>.size))
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, socklen_t(MemoryLayout<Int32>.size))
        }
        let total = Swift.min(count + warmup, count * 2)
        let w = total - count
        let peer = try Peer.spawn(["--role", "socket", "--fd", "\(fds[1])", "--bytes", "\(bytes)"] + (pin ? ["--cpu", "1"] : []),
                                  total: total, warmup: w, tag: "socket-\(bytes)")
        close(fds[1])
        try peer.waitReady()
        let fd = fds[0]
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes + 8, alignment: 64)
        defer { buffer.deallocate(); close(fd) }
        memset(buffer, 0x5A, bytes + 8)
        var ack: UInt8 = 0
        for _ in 0..<total {
            _ = paceUntil(horus_monotonic_ns() &+ pace, pace, .sleep)
            buffer.storeBytes(of: horus_monotonic_ns(), as: UInt64.self)
            try writeAll(fd, buffer, bytes + 8)
            guard read(fd, &ack, 1) == 1 else { throw BenchError("socket ack: errno \(errno)") }
        }
        return try peer.collect()
    }

    /// Bare futex hop: word at offset 0 and stamp at offset 8 of a shared pool slot.
    /// With `spinning`, the receiver polls the word instead of sleeping and the sender
    /// does not call FUTEX_WAKE: the bare cross-process spin hop (the floor of a spinning topic).
    func runFutex(pool: Pool, count: Int, pace: UInt64, spinning: Bool = false, pacing: SenderPacing = .sleep) throws -> [Double] {
        Progress.note("bare \(spinning ? "spin" : "futex") hop: \(count) samples, period \(pace / 1000) us")
        let shared = try Tensor(shape: [16], dtype: .uint8, pool: pool)
        let base = shared.baseAddress
        base.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        let total = count + warmup
        let peer = try Peer.spawn(["--role", spinning ? "spinword" : "futex", "--pool", pool.name, "--desc", shared.descriptor().hexString] + (pin ? ["--cpu", "1"] : []),
                                  total: total, warmup: warmup, tag: spinning ? "spinword" : "futex")
        try peer.waitReady()
        let word = UnsafeAtomic<UInt32>(at: base.assumingMemoryBound(to: UnsafeAtomic<UInt32>.Storage.self))
        let stamp = UnsafeAtomic<UInt64>(at: (base + 8).assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self))
        var next = horus_monotonic_ns() &+ pace
        for i in 0..<total {
            next = paceUntil(next, pace, pacing)
            stamp.store(horus_monotonic_ns(), ordering: .relaxed)
            word.store(UInt32(truncatingIfNeeded: i + 1), ordering: .releasing)
            if !spinning { _ = horus_futex_wake(base.assumingMemoryBound(to: UInt32.self), 1) }
        }
        return try peer.collect()
    }

    /// Waits until `deadline` as `pacing` says; returns the next deadline (never in the
    /// past, so a descheduled sender does not burst).
    @inline(__always)
    func paceUntil(_ deadline: UInt64, _ pace: UInt64, _ pacing: SenderPacing) -> UInt64 {
        var now = horus_monotonic_ns()
        if pacing == .sleep && now < deadline {
            var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            _ = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
            now = horus_monotonic_ns()
        }
        while now < deadline { now = horus_monotonic_ns() }
        return Swift.max(deadline, now) &+ pace
    }

    /// Pins the calling process to one CPU (nil: all CPUs).
    static func pin(cpu: Int?) {
        var set = cpu_set_t()
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        withUnsafeMutableBytes(of: &set) { b in
            for c in 0..<Swift.min(n, b.count * 8) where cpu == nil || c == cpu! % n { b[c / 8] |= UInt8(1 << (c % 8)) }
        }
        // sched_setaffinity is behind _GNU_SOURCE in the Glibc module map: look it up.
        typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity") else {  // RTLD_DEFAULT
            Progress.note("sched_setaffinity not found: not pinning"); return
        }
        let setAffinity = unsafeBitCast(sym, to: SetAffinity.self)
        if withUnsafeBytes(of: &set, { setAffinity(0, $0.count, $0.baseAddress!) }) != 0 {
            Progress.note("sched_setaffinity failed: errno \(errno)")
        }
    }

    static func cleanSharedMemory(namespace: String = HorusNamespace.current) {
        let prefix = "horus-\(namespace)-"
        guard let dir = opendir("/dev/shm") else { return }
        defer { closedir(dir) }
        var removed = 0
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { b in
                String(decoding: b.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(prefix) { if shm_unlink("/" + name) == 0 { removed += 1 } }
        }
        if removed > 0 { Progress.note("removed \(removed) leftover shm object(s) of namespace \(namespace)") }
    }
}

/// How a bench sender waits between paced sends.
enum SenderPacing: CustomStringConvertible {
    /// Busy-waits on the clock: the sender keeps its core and its caches hot (spin mode,
    /// where each end owns a core).
    case busy
    /// Sleeps (clock_nanosleep to an absolute time), leaving its core to others between
    /// sends; each send starts with whatever the sleep left in the caches.
    case sleep

    var description: String { self == .busy ? "busy-waits" : "sleeps" }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) throws {
    var done = 0
    while done < n {
        let r = write(fd, p + done, n - done)
        if r < 0 { if errno == EINTR { continue }; throw BenchError("write: errno \(errno)") }
        done += r
    }
}

func readAll(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) throws {
    var done = 0
    while done < n {
        let r = read(fd, p + done, n - done)
        if r < 0 { if errno == EINTR { continue }; throw BenchError("read: errno \(errno)") }
        if r == 0 { throw BenchError("read: end of stream after \(done) of \(n) bytes") }
        done += r
    }
}

/// A receiving process: this executable run as `topics-peer`. It signals readiness with
/// one byte on a pipe and writes its samples to a file when done.
struct Peer {
    /// A ticket the peer did not receive (dropped or after a timeout).
    static let missing = Int64.min
    let pid: pid_t
    let readyFD: Int32
    let resultPath: String
    let tag: String

    static func spawn(_ args: [String], total: Int, warmup: Int, tag: String) throws -> Peer {
        var p: [Int32] = [0, 0]
        guard pipe(&p) == 0 else { throw BenchError("pipe: errno \(errno)") }
        let resultPath = "/tmp/horus-bench-\(getpid())-\(tag).bin"
        unlink(resultPath)
        let argv = ["/proc/self/exe", "topics-peer", "--ready-fd", "\(p[1])", "--results", resultPath,
                    "--total", "\(total)", "--warmup", "\(warmup)"] + args
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cargs.append(nil)
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/proc/self/exe", nil, nil, cargs, environ)
        close(p[1])
        guard rc == 0 else { close(p[0]); throw BenchError("posix_spawn: \(rc)") }
        return Peer(pid: pid, readyFD: p[0], resultPath: resultPath, tag: tag)
    }

    func waitReady() throws {
        var b: UInt8 = 0
        guard read(readyFD, &b, 1) == 1 else { throw BenchError("peer \(tag) did not start (see its stderr)") }
    }

    /// Waits for the peer to exit and returns its samples (nanoseconds).
    func collect() throws -> [Double] { try collectByTicket().compactMap { $0 } }

    /// Waits for the peer to exit and returns its samples (nanoseconds); topic peers
    /// record one per ticket after warmup, nil where the sample was not received.
    func collectByTicket() throws -> [Double?] {
        close(readyFD)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        defer { unlink(resultPath) }
        guard let f = fopen(resultPath, "rb") else { throw BenchError("peer \(tag) wrote no results (exit status \(status))") }
        defer { fclose(f) }
        var header = [Int64](repeating: 0, count: 4)
        guard fread(&header, 8, 4, f) == 4 else { throw BenchError("peer \(tag): short results file") }
        let n = Int(header[0])
        var values = [Int64](repeating: 0, count: n)
        guard fread(&values, 8, n, f) == n else { throw BenchError("peer \(tag): short results file") }
        if header[1] != 0 || header[2] != 0 || header[3] != 0 {
            Progress.note("peer \(tag): received \(n), dropped \(header[1]), rejected \(header[2]), timed out \(header[3])")
        }
        guard values.contains(where: { $0 != Peer.missing }) else { throw BenchError("peer \(tag) recorded no samples") }
        return values.map { $0 == Peer.missing ? nil : Double($0) }
    }
}

/// The other process of `topics` (not listed in help).
struct TopicsPeer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topics-peer", shouldDisplay: false)

    @Option var readyFd: Int32
    @Option var results: String
    @Option var total: Int
    @Option var warmup: Int
    @Option var role: String
    @Option var topic = ""
    @Option var policy = "spin"
    @Option var spins = 2000
    @Option var pool = ""
    @Option var bytes = 0
    @Option var fd: Int32 = -1
    @Option var desc = ""
    @Option var cpu: Int? = nil
    @Option(help: "Subscribers in this process, polled in turn by one thread (sub-image / sub-tensor).")
    var group = 1

    func run() throws {
        if let cpu { TopicsBench.pin(cpu: cpu) }
        var samples = [Int64]()
        samples.reserveCapacity(total)
        // Topic roles: one sample per ticket after warmup (index = ticket - warmup).
        var byTicket = [Int64](repeating: Peer.missing, count: Swift.max(0, total - warmup))
        var dropped: UInt64 = 0, rejected: UInt64 = 0, timedOut: Int64 = 0
        func ready() {
            var b: UInt8 = 1
            _ = write(readyFd, &b, 1)
            close(readyFd)
        }
        let waitPolicy: WaitPolicy = switch policy {
        case "spin": .spin
        case "block": .block
        case "spinyield": .spinThenYield(spins: spins)
        default: .spinThenBlock(spins: spins)
        }
        switch role {
        case "sub-tensor" where group > 1, "sub-image" where group > 1:
            _ = try Pool.attach(name: pool)
            let r = role == "sub-tensor"
                ? try pollGroup(Tensor.self, ready: ready) { $0.baseAddress.load(as: UInt64.self) }
                : try pollGroup(Image.self, ready: ready) { m in
                    guard m.nbytes == bytes else { throw BenchError("image of \(m.nbytes) bytes, expected \(bytes)") }
                    return m.timestampNs
                }
            (samples, dropped, rejected, timedOut) = r
        case "sub-tensor":
            _ = try Pool.attach(name: pool)
            let sub = try Subscriber<Tensor>(topic: topic, capacity: 64, waitPolicy: waitPolicy)
            ready()
            // Until every ticket is consumed (received or counted dropped), so a lost
            // sample does not leave the loop waiting for one that never comes.
            while sub.cursor < UInt64(total) {
                guard let m = sub.receive(timeout: 3) else { timedOut = 1; break }
                let now = horus_monotonic_ns()
                let sent = m.baseAddress.load(as: UInt64.self)
                let ticket = Int(sub.cursor) - 1
                if ticket >= warmup { byTicket[ticket - warmup] = Int64(bitPattern: now &- sent) }
            }
            dropped = sub.droppedCount
            rejected = sub.rejectedCount
            samples = byTicket
        case "sub-image":
            _ = try Pool.attach(name: pool)
            let sub = try Subscriber<Image>(topic: topic, capacity: 64, waitPolicy: waitPolicy)
            ready()
            while sub.cursor < UInt64(total) {
                guard let m = sub.receive(timeout: 3) else { timedOut = 1; break }
                let now = horus_monotonic_ns()
                guard m.nbytes == bytes else { throw BenchError("image of \(m.nbytes) bytes, expected \(bytes)") }
                let ticket = Int(sub.cursor) - 1
                if ticket >= warmup { byTicket[ticket - warmup] = Int64(bitPattern: now &- m.timestampNs) }
            }
            dropped = sub.droppedCount
            rejected = sub.rejectedCount
            samples = byTicket
        case "socket":
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes + 8, alignment: 64)
            defer { buffer.deallocate() }
            memset(buffer, 0, bytes + 8)
            ready()
            var ack: UInt8 = 1
            for i in 0..<total {
                try readAll(fd, buffer, bytes + 8)
                let now = horus_monotonic_ns()
                if i >= warmup { samples.append(Int64(bitPattern: now &- buffer.load(as: UInt64.self))) }
                _ = write(fd, &ack, 1)
            }
        case "futex", "spinword":
            _ = try Pool.attach(name: pool)
            guard let d = Descriptor(hex: desc) else { throw BenchError("bad --desc") }
            let shared = try Tensor(descriptor: d)
            let base = shared.baseAddress
            let word = UnsafeAtomic<UInt32>(at: base.assumingMemoryBound(to: UnsafeAtomic<UInt32>.Storage.self))
            let stamp = UnsafeAtomic<UInt64>(at: (base + 8).assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self))
            ready()
            var seen: UInt32 = word.load(ordering: .acquiring)
            var i = 0
            let deadline = horus_monotonic_ns() &+ 30_000_000_000
            // Locals, not the @Option properties (ArgumentParser wrappers: a generic
            // metadata lookup per read, which would slow every poll).
            let total = self.total, spinning = role == "spinword"
            var polls = 0
            while i < total {
                let w = word.load(ordering: .acquiring)
                if w == seen {
                    // The clock only every 1024th spin poll: a read per poll would slow the
                    // hop this measures (the machine's floor: a bare load loop, no pause).
                    polls &+= 1
                    if (!spinning || polls & 1023 == 0) && horus_monotonic_ns() > deadline { timedOut = 1; break }
                    if spinning { continue }
                    _ = horus_futex_wait(base.assumingMemoryBound(to: UInt32.self), seen, 100_000_000)
                    continue
                }
                let now = horus_monotonic_ns()
                let sent = stamp.load(ordering: .relaxed)
                // The word is the send count: sends overtaken before this poll are skipped
                // (only the latest stamp is in the word), not waited for.
                if Int(w) > warmup { samples.append(Int64(bitPattern: now &- sent)) }
                seen = w
                i = Int(w)
            }
        default:
            throw BenchError("unknown role \(role)")
        }
        guard let f = fopen(results, "wb") else { throw BenchError("cannot write \(results)") }
        var header: [Int64] = [Int64(samples.count), Int64(dropped), Int64(rejected), timedOut]
        fwrite(&header, 8, 4, f)
        fwrite(&samples, 8, samples.count, f)
        fclose(f)
    }
}
