import Foundation

// `bench`: round trip of one raw-CDR sample between two network namespaces through HorusDDS
// (this probe's ping/pong), against `ddsperf` (Cyclone DDS's own latency tool) with the same
// payload size, same link and configuration, in interleaved rounds. Both tools report one
// percentile row per second; each figure printed is the median of that percentile over all
// seconds of all rounds (the first second of each run is warm-up and dropped). ddsperf prints
// half the round trip (its pong handler records (now - sent) / 2), so its figures are doubled
// here to be round trips like ours.

/// Per-second percentile rows (µs) of one tool.
struct Rows {
    var p50: [Double] = [], p90: [Double] = [], p99: [Double] = [], count = 0
    mutating func add(_ p50: Double, _ p90: Double, _ p99: Double, _ n: Int) {
        self.p50.append(p50); self.p90.append(p90); self.p99.append(p99); count += n
    }
}

func median(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return .nan }
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Runs a command to completion (killed after `timeout` s); its stdout and stderr.
func runCaptured(_ args: [String], timeout: Double) throws -> String {
    let p = Process(), out = Pipe()
    p.executableURL = URL(fileURLWithPath: args[0])
    p.arguments = Array(args.dropFirst())
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = Box()
    let reader = Thread { data.value = out.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning, Date() < deadline { usleep(20_000) }
    if p.isRunning { p.terminate() }
    p.waitUntilExit()
    while data.value == nil { usleep(10_000) }
    return String(decoding: data.value!, as: UTF8.self)
}

final class Box: @unchecked Sendable { var value: Data? }

/// A number after `key` in a line ("50% 1940.805us" -> 1940.805 for key "50%").
func number(after key: String, in line: Substring) -> Double? {
    let parts = line.split(separator: " ")
    guard let i = parts.firstIndex(of: Substring(key)), i + 1 < parts.count else { return nil }
    return Double(parts[i + 1].trimmingCharacters(in: CharacterSet(charactersIn: "0123456789.").inverted))
}

func bench(_ o: Options) throws {
    let size = try o.int("size", 640 * 480 * 4) // a 640x480 32FC1 depth image
    let seconds = try o.int("seconds", 5), rounds = try o.int("rounds", 3)
    let script = try o.string("netns-script", URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/dds-netns").path)
    let ddsperf = try o.string("ddsperf", "/usr/bin/ddsperf")
    guard FileManager.default.isExecutableFile(atPath: ddsperf) else {
        throw ProbeError("ddsperf not found at \(ddsperf): apt-get install cyclonedds-tools")
    }
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let pair = "hd\(getpid())x0"
    let created = try runCaptured([script, "create", pair], timeout: 30)
    guard created.contains("created") else { throw ProbeError("cannot create the namespace pair: \(created)") }
    defer { _ = try? runCaptured([script, "delete", pair], timeout: 30) }
    @Sendable func inHost(_ side: String, _ cmd: [String]) -> [String] { [script, "exec", pair, side] + cmd }

    var base = Rows(), ours = Rows()
    for round in 1...rounds {
        // ddsperf: pong in host b, ping in host a (both waitset-triggered, like the probe).
        let pongDone = Box()
        let pong = Thread { pongDone.value = Data(((try? runCaptured(inHost("b", [ddsperf, "-D", "\(seconds + 6)", "pong", "waitset"]), timeout: Double(seconds + 10))) ?? "").utf8) }
        pong.start()
        usleep(500_000)
        let pingOut = try runCaptured(inHost("a", [ddsperf, "-D", "\(seconds + 2)", "ping", "size", "\(size)", "waitset"]), timeout: Double(seconds + 10))
        var rows = 0
        for line in pingOut.split(separator: "\n") where line.contains(" size \(size) ") && line.contains("50%") {
            rows += 1
            if rows == 1 { continue } // warm-up second
            if let a = number(after: "50%", in: line), let b = number(after: "90%", in: line), let c = number(after: "99%", in: line) {
                base.add(2 * a, 2 * b, 2 * c, Int(number(after: "cnt", in: line) ?? 0)) // ddsperf: rtt / 2
            }
        }
        while pongDone.value == nil { usleep(20_000) }
        guard rows >= 2 else { throw ProbeError("ddsperf round \(round) printed no latency rows:\n\(pingOut)") }

        // horus: the probe's pong in host b, ping in host a.
        let ourPongDone = Box()
        let ourPong = Thread { ourPongDone.value = Data(((try? runCaptured(inHost("b", [me, "pong", "--seconds", "\(seconds + 8)", "--idle-exit-s", "2"]), timeout: Double(seconds + 12))) ?? "").utf8) }
        ourPong.start()
        let ourPing = try runCaptured(inHost("a", [me, "ping", "--size", "\(size)", "--duration-s", "\(seconds)", "--warmup", "20"]), timeout: Double(seconds + 20))
        var ourRows = 0
        for line in ourPing.split(separator: "\n") where line.hasPrefix("window ") {
            ourRows += 1
            let f = { (k: String) in line.split(separator: " ").first { $0.hasPrefix(k + "=") }.flatMap { Double($0.dropFirst(k.count + 1)) } }
            if let a = f("p50"), let b = f("p90"), let c = f("p99") { ours.add(a, b, c, Int(f("n") ?? 0)) }
        }
        guard ourRows >= 1 else { throw ProbeError("probe ping round \(round) printed no rows:\n\(ourPing)") }
        while ourPongDone.value == nil { usleep(20_000) }
        print("round \(round): ddsperf \(rows - 1) s, horus \(ourRows) s")
    }
    print("DDS round trip, \(size) B raw CDR, two network namespaces over veth, \(rounds) interleaved rounds of \(seconds) s")
    print("  round trip, us (median of per-second percentiles)      p50        p90        p99  round trips")
    func row(_ name: String, _ r: Rows) {
        let label = name.padding(toLength: 50, withPad: " ", startingAt: 0)
        print(label + String(format: " %9.0f  %9.0f  %9.0f  %10d", median(r.p50), median(r.p90), median(r.p99), r.count))
    }
    row("  ddsperf ping/pong, KS type (baseline)", base)
    row("  horus DDS layer ping/pong, raw CDR", ours)
    print("  ratio horus / ddsperf".padding(toLength: 50, withPad: " ", startingAt: 0)
          + String(format: " %8.2fx  %8.2fx  %8.2fx", median(ours.p50) / median(base.p50),
                   median(ours.p90) / median(base.p90), median(ours.p99) / median(base.p99)))
}
