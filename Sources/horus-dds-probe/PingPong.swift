import Foundation
import HorusDDS

// Round trip of one raw-CDR sample at a time: ping writes on rt/horus_ping, pong echoes each
// sample on rt/horus_pong (one copy, from the taken sample into the write buffer), ping
// waits for it before sending the next (as ddsperf's ping/pong does).

let pingTopic = "rt/horus_ping", pongTopic = "rt/horus_pong"
let bytesType = "horus_msgs::msg::dds_::Bytes_"

func ping(_ p: DDSParticipant, _ o: Options) throws {
    let size = max(12, try o.int("size"))
    let warmup = try o.int("warmup", 20)
    let duration = Int64(try o.int("duration-s", 5)) * 1_000_000_000
    let q = DDSQoS(reliable: true, historyDepth: 1, maxSampleSize: UInt32(size + 64))
    let writer = try p.writer(topic: pingTopic, typeName: bytesType, qos: q)
    let reader = try p.reader(topic: pongTopic, typeName: bytesType, qos: q)
    try waitForReader(writer, seconds: try o.int("wait-match-s", 20))
    while try reader.stats().matchedWriters == 0 { usleep(10_000) }
    var all: [Int64] = [], window: [Int64] = []
    all.reserveCapacity(100_000)
    window.reserveCapacity(10_000)
    var seq: UInt32 = 0
    var end = Int64.max, windowEnd = Int64.max
    while true {
        seq += 1
        let start = monotonicNanoseconds()
        if start >= end { break }
        try writer.write(size: size) { b in
            b.storeBytes(of: 0x0000_0100, toByteOffset: 0, as: UInt32.self)
            b.storeBytes(of: seq.littleEndian, toByteOffset: 4, as: UInt32.self)
            b.storeBytes(of: UInt32(size - 12).littleEndian, toByteOffset: 8, as: UInt32.self)
        }
        var echoed = false
        while !echoed {
            if monotonicNanoseconds() > start + 5_000_000_000 { throw ProbeError("no pong for ping \(seq) within 5 s") }
            guard try reader.wait(timeoutNanoseconds: 100_000_000) else { continue }
            try reader.take(max: 4) { bytes, _ in
                if bytes.count >= size, bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self) == seq.littleEndian { echoed = true }
            }
        }
        let now = monotonicNanoseconds()
        if seq == UInt32(warmup) { end = now + duration; windowEnd = now + 1_000_000_000 }
        guard seq > UInt32(warmup) else { continue }
        all.append(now - start)
        window.append(now - start)
        if now >= windowEnd { // one line per second, like ddsperf's
            print(percentileLine("window", size, &window))
            window.removeAll(keepingCapacity: true)
            windowEnd += 1_000_000_000
        }
    }
    print(percentileLine("rtt", size, &all))
}

/// "<label> size=S n=N p50=... p90=... p99=... us" of `rtts` (ns; sorted in place).
func percentileLine(_ label: String, _ size: Int, _ rtts: inout [Int64]) -> String {
    rtts.sort()
    func pct(_ q: Double) -> Double { rtts.isEmpty ? 0 : Double(rtts[min(rtts.count - 1, Int(Double(rtts.count) * q))]) / 1000 }
    return String(format: "%@ size=%d n=%d p50=%.1f p90=%.1f p99=%.1f us", label, size, rtts.count, pct(0.5), pct(0.9), pct(0.99))
}

func pong(_ p: DDSParticipant, _ o: Options) throws {
    let q = DDSQoS(reliable: true, historyDepth: 1, maxSampleSize: 64 << 20)
    let reader = try p.reader(topic: pingTopic, typeName: bytesType, qos: q)
    let writer = try p.writer(topic: pongTopic, typeName: bytesType, qos: q)
    print("ready")
    let end = monotonicNanoseconds() + Int64(try o.int("seconds", 60)) * 1_000_000_000
    let idle = Int64(try o.int("idle-exit-s", 0)) * 1_000_000_000 // 0: run until --seconds
    var lastPing: Int64?
    while monotonicNanoseconds() < end {
        if idle > 0, let lastPing, monotonicNanoseconds() - lastPing > idle { break }
        guard try reader.wait(timeoutNanoseconds: 100_000_000) else { continue }
        try reader.take(max: 4) { bytes, _ in
            try writer.write(size: bytes.count) { $0.copyMemory(from: bytes) }
        }
        lastPing = monotonicNanoseconds()
    }
}
