import ArgumentParser
import CHorus
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench bridge-peer`: the horus processes of `horus-bench bridge`, one per host (network
/// namespace), each in its own HORUS_NAMESPACE; prints one fact per line for the parent.
///   ping SECONDS   publish a 640x480 DepthImage on /bench/ping, wait for its echo on /bench/pong;
///                  one "window p50= p90= p99= n=" line (round trip, us) per second after 1 s warm-up
///   echo SECONDS   republish every /bench/ping sample on /bench/pong (the same slot, no copy);
///                  ends 3 s after the last ping
///   pub-image N HZ GOFILE   1920x1080 rgb8 Image on /bench/image at HZ after GOFILE appears
///   sub-image N TIMEOUT_S   count /bench/image frames: "result received= missing= bad= last= span_s="
struct BridgeBenchPeer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bridge-peer", abstract: "A horus process of `horus-bench bridge` (internal).")

    @Argument var role: String
    @Argument var values: [String] = []

    func run() throws {
        setvbuf(stdout, nil, _IOLBF, 0)
        let pool = try Pool.shared()
        let v = values.map { Double($0) }
        func value(_ i: Int) throws -> Double {
            guard i < v.count, let x = v[i], x > 0 else { throw ValidationError("bridge-peer \(role): bad arguments \(values)") }
            return x
        }
        switch role {
        case "ping": try ping(seconds: value(0), pool: pool)
        case "echo": try echo(seconds: value(0))
        case "pub-image": try pubImage(count: Int(value(0)), hz: value(1), go: values[2], pool: pool)
        case "sub-image": try subImage(count: Int(value(0)), timeout: value(1))
        default: throw ValidationError("bridge-peer: unknown role \(role)")
        }
    }

    private func ping(seconds: Double, pool: Pool) throws {
        let pub = try Publisher<DepthImage>(topic: "/bench/ping")
        let sub = try Subscriber<DepthImage>(topic: "/bench/pong", waitPolicy: .block)
        print("ready")
        var seq: UInt64 = 0
        var connected = false
        var window: [Double] = [], losses = 0
        let connectDeadline = horus_monotonic_ns() + 60_000_000_000
        var measureFrom: UInt64 = 0, windowEnd: UInt64 = 0, end: UInt64 = 0
        while true {
            seq += 1
            let d = try DepthImage(height: 480, width: 640, pool: pool, timestampNs: seq, frameID: "bench", zeroed: false)
            let sent = horus_monotonic_ns()
            try pub.publish(d)
            var echoed = false
            // Until the path is up (bridges matched), a ping goes unanswered: resend every 200 ms.
            while let r = sub.receive(timeout: connected ? 5 : 0.2) {
                if r.timestampNs == seq { echoed = true; break }
            }
            let now = horus_monotonic_ns()
            if !echoed {
                if connected { losses += 1 } else if now > connectDeadline { throw ValidationError("no echo within 60 s") }
                continue
            }
            if !connected {
                connected = true
                measureFrom = now + 1_000_000_000  // 1 s warm-up
                windowEnd = measureFrom + 1_000_000_000
                end = measureFrom + UInt64(seconds * 1e9)
                print("connected after \(seq) ping(s)")
                continue
            }
            if now < measureFrom { continue }
            window.append(Double(now - sent) / 1000)
            if now >= windowEnd || now >= end {
                let p = Percentiles(window)
                print("window p50=\(p.p50) p90=\(p.p90) p99=\(p.p99) n=\(p.count)")
                window.removeAll(keepingCapacity: true)
                windowEnd += 1_000_000_000
            }
            if now >= end { break }
        }
        print("done losses=\(losses)")
    }

    private func echo(seconds: Double) throws {
        let sub = try Subscriber<DepthImage>(topic: "/bench/ping", waitPolicy: .block)
        let pub = try Publisher<DepthImage>(topic: "/bench/pong")
        print("ready")
        let end = horus_monotonic_ns() + UInt64(seconds * 1e9)
        var n = 0, lastAt: UInt64 = 0
        // Ends at `seconds`, or 3 s after the last ping (the pinger finished): exits cleanly.
        while horus_monotonic_ns() < end, n == 0 || horus_monotonic_ns() - lastAt < 3_000_000_000 {
            guard let d = sub.receive(timeout: 0.2) else { continue }
            try pub.publish(d)
            n += 1
            lastAt = horus_monotonic_ns()
        }
        print("done echoed=\(n)")
    }

    private func pubImage(count: Int, hz: Double, go: String, pool: Pool) throws {
        let pub = try Publisher<Image>(topic: "/bench/image")
        print("ready")
        while access(go, F_OK) != 0 { usleep(10_000) }
        let start = horus_monotonic_ns(), period = 1e9 / hz
        for i in 1...count {
            let img = try Image(height: 1080, width: 1920, encoding: .rgb8, pool: pool, timestampNs: UInt64(i), frameID: "bench", zeroed: false)
            img.bytes.storeBytes(of: UInt64(i), as: UInt64.self)  // the receiver checks the frame number in the pixels
            try pub.publish(img)
            let next = start + UInt64(Double(i) * period), now = horus_monotonic_ns()
            if next > now { usleep(UInt32((next - now) / 1000)) }
        }
        print("done \(count) in \(String(format1: Double(horus_monotonic_ns() - start) / 1e9, 2)) s")
        sleep(3)  // the bridge drains before the topic goes
    }

    private func subImage(count: Int, timeout: Double) throws {
        let sub = try Subscriber<Image>(topic: "/bench/image", waitPolicy: .block)
        print("ready")
        var received = 0, bad = 0, last = 0, missing: [Int] = []
        var first: UInt64 = 0, lastAt: UInt64 = 0
        let deadline = horus_monotonic_ns() + UInt64(timeout * 1e9)
        // Ends at frame `count`, at the timeout, or 3 s after the last frame (the rest is lost).
        while received < count, horus_monotonic_ns() < deadline, first == 0 || horus_monotonic_ns() - lastAt < 3_000_000_000 {
            guard let img = sub.receive(timeout: 0.2) else { continue }
            lastAt = horus_monotonic_ns()
            if received == 0 { first = lastAt; print("first") }
            received += 1
            let i = Int(img.timestampNs)
            if i > last + 1 { missing += (last + 1)..<i }
            last = i
            if img.width != 1920 || img.height != 1080 || img.bytes.load(as: UInt64.self) != UInt64(i) { bad += 1 }
        }
        if last < count, received > 0 { missing += (last + 1)...count }
        let span = String(format1: Double(lastAt &- first) / 1e9, 3)
        print("result received=\(received) missing=\(missing.count) bad=\(bad) last=\(last) dropped=\(sub.droppedCount) span_s=\(span)"
              + (missing.isEmpty ? "" : " first_missing=\(missing.prefix(8).map(String.init).joined(separator: ","))"))
    }
}
