import Foundation

/// The runs of `horus-bench bridge`, each with fresh processes (and HORUS_NAMESPACEs) in the pair.
struct BridgeBenchRunner {
    let hosts: BridgeBenchHosts
    let me: String, runTool: String, ddsperf: String
    let domain: Int

    private var pid: Int32 { getpid() }
    private func bridge(_ side: String, _ ns: String, _ args: [String], duration: Int) throws -> BenchChild {
        try hosts.start(side, namespace: ns, [runTool, "bridge", "--domain", "\(domain)", "--duration", "\(duration)"] + args)
    }
    private func expect(_ c: BenchChild, _ prefix: String, _ what: String, timeout: Double = 60) throws -> String {
        guard let l = c.waitForLine(prefix, timeout: timeout) else {
            throw BenchError("\(what) did not print '\(prefix)' within \(Int(timeout)) s: \(c.lines.suffix(6).joined(separator: " | "))")
        }
        return l
    }

    /// ddsperf ping in A, pong in B (waitset mode), `size` bytes; its half round trips doubled.
    func ddsperfRound(seconds: Int, size: Int) throws -> PercentileRows {
        let pong = try hosts.start("b", namespace: "bb\(pid)x", [ddsperf, "-D", "\(seconds + 8)", "-i", "\(domain)", "pong", "waitset"])
        usleep(500_000)
        let ping = try hosts.start("a", namespace: "bb\(pid)x", [ddsperf, "-D", "\(seconds + 2)", "-i", "\(domain)", "ping", "size", "\(size)", "waitset"])
        ping.finish(timeout: Double(seconds + 20))
        pong.finish(timeout: 0)
        var rows = PercentileRows(), seen = 0
        for line in ping.lines where line.contains(" size \(size) ") && line.contains("50%") {
            seen += 1
            if seen == 1 { continue }  // warm-up second
            if let a = Self.number(after: "50%", in: line), let b = Self.number(after: "90%", in: line), let c = Self.number(after: "99%", in: line) {
                rows.add(2 * a, 2 * b, 2 * c, Int(Self.number(after: "cnt", in: line) ?? 0))  // ddsperf records (now - sent) / 2
            }
        }
        guard !rows.p50.isEmpty else { throw BenchError("ddsperf printed no latency rows: \(ping.lines.suffix(8).joined(separator: " | "))") }
        return rows
    }

    /// The pinger in A and the echo in B, each behind its bridge.
    func bridgeRound(seconds: Int, tag: String) throws -> PercentileRows {
        let nsA = "bb\(pid)\(tag)a", nsB = "bb\(pid)\(tag)b"
        let echo = try hosts.start("b", namespace: nsB, [me, "bridge-peer", "echo", "\(seconds + 60)"])
        _ = try expect(echo, "ready", "echo")
        let bridgeB = try bridge("b", nsB, ["--import", "/bench/ping:DepthImage", "--export", "/bench/pong"], duration: seconds + 60)
        let ping = try hosts.start("a", namespace: nsA, [me, "bridge-peer", "ping", "\(seconds)"])
        _ = try expect(ping, "ready", "pinger")
        let bridgeA = try bridge("a", nsA, ["--export", "/bench/ping", "--import", "/bench/pong:DepthImage"], duration: seconds + 60)
        _ = try expect(ping, "connected", "pinger (no echo through the bridges)", timeout: 60)
        _ = try expect(ping, "done", "pinger", timeout: Double(seconds + 30))
        echo.finish(timeout: 15)
        for c in [bridgeA, bridgeB] { c.finish(timeout: 0) }
        var rows = PercentileRows()
        for line in ping.lines where line.hasPrefix("window ") {
            let f = { (k: String) in line.split(separator: " ").first { $0.hasPrefix(k + "=") }.flatMap { Double($0.dropFirst(k.count + 1)) } }
            if let a = f("p50"), let b = f("p90"), let c = f("p99") { rows.add(a, b, c, Int(f("n") ?? 0)) }
        }
        guard !rows.p50.isEmpty else { throw BenchError("pinger printed no rows: \(ping.lines.suffix(6).joined(separator: " | "))") }
        return rows
    }

    struct Throughput {
        var lines: [String] = []
        var received = 0, expected = 0
        var mbs = 0.0, cpuA = 0.0, cpuB = 0.0, idleA = 0.0, idleB = 0.0
    }

    /// 1080p rgb8 frames from a publisher in A through both bridges to a subscriber in B; CPU of
    /// each bridge from /proc/<pid>/stat over the idle wait before and over the transfer.
    func throughput(seconds: Int, hz: Double, idleSeconds: Int, frameBytes: Int) throws -> Throughput {
        let nsA = "bb\(pid)ta", nsB = "bb\(pid)tb", n = Int(Double(seconds) * hz)
        let go = NSTemporaryDirectory() + "horus-bench-bridge-\(pid).go"
        unlink(go)
        defer { unlink(go) }
        let sub = try hosts.start("b", namespace: nsB, [me, "bridge-peer", "sub-image", "\(n)", "\(seconds + 120)"])
        _ = try expect(sub, "ready", "subscriber")
        let life = seconds + idleSeconds + 120
        let bridgeB = try bridge("b", nsB, ["--import", "/bench/image:Image", "--depth", "16"], duration: life)
        let pub = try hosts.start("a", namespace: nsA, [me, "bridge-peer", "pub-image", "\(n)", "\(hz)", go])
        _ = try expect(pub, "ready", "publisher")
        let bridgeA = try bridge("a", nsA, ["--export", "/bench/image", "--depth", "16"], duration: life)
        let deadline = Date().addingTimeInterval(60)
        while !bridgeA.lines.contains(where: { $0.hasPrefix("status export /bench/image") && $0.hasSuffix("matched=1") }) {
            guard Date() < deadline else { throw BenchError("bridge A never matched bridge B: \(bridgeA.lines.suffix(4).joined(separator: " | "))") }
            usleep(100_000)
        }
        var t = Throughput(expected: n)
        func cpu() -> (Double, Double, Date) {
            (BridgeBenchHosts.cpuSeconds(bridgeA.pid) ?? .nan, BridgeBenchHosts.cpuSeconds(bridgeB.pid) ?? .nan, Date())
        }
        let i0 = cpu()
        sleep(UInt32(idleSeconds))
        let i1 = cpu(), idleWall = i1.2.timeIntervalSince(i0.2)
        t.idleA = 100 * (i1.0 - i0.0) / idleWall
        t.idleB = 100 * (i1.1 - i0.1) / idleWall
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        let c0 = cpu()
        _ = try expect(sub, "first", "subscriber (no frame arrived)", timeout: 60)
        _ = try expect(pub, "done", "publisher", timeout: Double(seconds + 60))
        let c1 = cpu(), wall = c1.2.timeIntervalSince(c0.2)  // CPU over the publishing interval
        let result = try expect(sub, "result", "subscriber", timeout: Double(seconds + 120))
        for c in [bridgeA, bridgeB] { c.finish(timeout: 0) }
        t.received = Int(result.split(separator: " ").first { $0.hasPrefix("received=") }?.dropFirst(9) ?? "") ?? 0
        let span = Double(result.split(separator: " ").first { $0.hasPrefix("span_s=") }?.dropFirst(7) ?? "") ?? .nan
        t.mbs = Double(t.received * frameBytes) / (span + 1 / hz) / 1e6  // first to last frame received, plus one period
        t.cpuA = 100 * (c1.0 - c0.0) / wall
        t.cpuB = 100 * (c1.1 - c0.1) / wall
        t.lines.append("subscriber in B: \(result) (of \(n) published)")
        t.lines.append(String(format: "%.1f MB/s received in B (frames x %d B over the first-to-last span + 1/%.0f s)", t.mbs, frameBytes, hz))
        t.lines.append(String(format: "CPU of bridge A (export) %.1f%%, bridge B (import) %.1f%% of one core over the %.2f s of publishing", t.cpuA, t.cpuB, wall))
        t.lines.append(String(format: "CPU while matched and idle (%d s): bridge A %.2f%%, bridge B %.2f%%", idleSeconds, t.idleA, t.idleB))
        t.lines.append("publisher: " + (pub.lines.last { $0.hasPrefix("done") } ?? "(no done line)"))
        for l in bridgeA.lines + bridgeB.lines where l.hasPrefix("summary ") { t.lines.append("bridge " + l) }
        return t
    }

    /// ddsperf pub at the same size and rate in A, sub in B: its per-second receive lines.
    func ddsperfThroughput(seconds: Int, hz: Double, size: Int) throws -> [String] {
        let sub = try hosts.start("b", namespace: "bb\(pid)x", [ddsperf, "-D", "\(seconds + 6)", "-i", "\(domain)", "sub", "waitset"])
        usleep(500_000)
        let pub = try hosts.start("a", namespace: "bb\(pid)x", [ddsperf, "-D", "\(seconds + 2)", "-i", "\(domain)", "pub", "\(Int(hz))Hz", "size", "\(size)"])
        pub.finish(timeout: Double(seconds + 20))
        sub.finish(timeout: Double(10))
        return sub.lines.filter { $0.contains("size \(size)") }
    }

    /// A number after `key` in a line ("50% 1940.805us" -> 1940.805 for key "50%").
    static func number(after key: String, in line: String) -> Double? {
        let parts = line.split(separator: " ")
        guard let i = parts.firstIndex(of: Substring(key)), i + 1 < parts.count else { return nil }
        return Double(parts[i + 1].trimmingCharacters(in: CharacterSet(charactersIn: "0123456789.").inverted))
    }
}
