import Foundation
import HorusDDS

func qos(_ o: Options) throws -> DDSQoS {
    DDSQoS(reliable: !o.flag("best-effort"), historyDepth: UInt32(try o.int("depth", 1)),
           maxSampleSize: UInt32(try o.int("max-size", 0)))
}

/// Waits until `path` exists (a test's go signal); throws after 30 s.
func waitForFile(_ path: String) throws {
    let deadline = monotonicNanoseconds() + 30_000_000_000
    while !FileManager.default.fileExists(atPath: path) {
        if monotonicNanoseconds() > deadline { throw ProbeError("\(path) did not appear within 30 s") }
        usleep(10_000)
    }
}

/// Writes --count samples of --size bytes as fast as it can (after a reader matched and the
/// --go-file appeared); prints "write <i> ok <us the call took>".
func burst(_ p: DDSParticipant, _ o: Options) throws {
    let writer = try p.writer(topic: try o.string("topic"), typeName: try o.string("type"), qos: try qos(o))
    let size = max(4, try o.int("size"))
    try waitForReader(writer, seconds: try o.int("wait-match-s", 20))
    try waitForFile(try o.string("go-file"))
    for i in 1...max(1, try o.int("count", 5)) {
        let start = monotonicNanoseconds()
        let sent = try writeOrTimeout(writer, size: size) { b in b.storeBytes(of: 0x0000_0100, toByteOffset: 0, as: UInt32.self) }
        print("write \(i) \(sent ? "ok" : "timeout") \((monotonicNanoseconds() - start) / 1000)")
    }
}

/// Writes one sample; false if a reliable write timed out (not sent), other failures throw.
func writeOrTimeout(_ writer: DDSWriter, size: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Bool {
    do {
        try writer.write(size: size, fill)
        return true
    } catch let e as DDSError where e.code == DDSQoS.timeoutCode {
        return false
    }
}

func monotonicNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Waits until `writer` has a matched reader; throws after `seconds`.
func waitForReader(_ writer: DDSWriter, seconds: Int) throws {
    let deadline = monotonicNanoseconds() + Int64(seconds) * 1_000_000_000
    while try writer.matchedReaders() == 0 {
        if monotonicNanoseconds() > deadline { throw ProbeError("no reader matched \(writer.topic) within \(seconds) s") }
        usleep(10_000)
    }
    print("matched \(try writer.matchedReaders())")
}

func publish(_ p: DDSParticipant, _ o: Options) throws {
    let writer = try p.writer(topic: try o.string("topic"), typeName: try o.string("type"), qos: try qos(o))
    let samples = try o.string("files").split(separator: ",").map { try Data(contentsOf: URL(fileURLWithPath: String($0))) }
    try waitForReader(writer, seconds: try o.int("wait-match-s", 20))
    // Each side sees the match on its own, and a reader that matched after a sample was sent does
    // not get it. With --primer-file and --go-file, the primer is sent every interval until the
    // go file exists (the test creates it once the reader took a primer), then the files follow.
    let goFile = try o.string("go-file", ""), primerFile = try o.string("primer-file", "")
    let primer = primerFile.isEmpty ? nil : try Data(contentsOf: URL(fileURLWithPath: primerFile))
    let goDeadline = monotonicNanoseconds() + 30_000_000_000
    while !goFile.isEmpty, !FileManager.default.fileExists(atPath: goFile) {
        if monotonicNanoseconds() > goDeadline { throw ProbeError("\(goFile) did not appear within 30 s") }
        try primer?.withUnsafeBytes { try writer.write($0) }
        usleep(50_000)
    }
    let count = try o.int("count", 1), interval = try o.int("interval-ms", 50)
    for i in 0..<count {
        for s in samples { try s.withUnsafeBytes { try writer.write($0) } }
        print("sent \(i + 1)")
        usleep(UInt32(interval * 1000))
    }
    usleep(UInt32(try o.int("linger-ms", 500) * 1000)) // let reliable retransmits finish
}

func take(_ p: DDSParticipant, _ o: Options) throws {
    let reader = try p.reader(topic: try o.string("topic"), typeName: try o.string("type"), qos: try qos(o))
    print("ready")
    let outDir = try o.string("out-dir", "")
    // --until-file F: take until a sample equal to F arrives (up to 3 bytes of wire padding); else --count.
    let untilFile = try o.string("until-file", "")
    let until = untilFile.isEmpty ? nil : try Data(contentsOf: URL(fileURLWithPath: untilFile))
    let count = until == nil ? try o.int("count") : Int.max
    let deadline = monotonicNanoseconds() + Int64(try o.int("timeout-s", 20)) * 1_000_000_000
    var got = 0, matched = false, found = false
    while got < count, !found, monotonicNanoseconds() < deadline {
        if !matched, try reader.stats().matchedWriters > 0 { matched = true; print("matched") }
        guard try reader.wait(timeoutNanoseconds: 20_000_000) else { continue }
        try reader.take(max: min(count - got, 16)) { bytes, _ in
            got += 1
            if !outDir.isEmpty { try Data(bytes).write(to: URL(fileURLWithPath: "\(outDir)/sample-\(got).cdr")) }
            print("got \(got) \(bytes.count)")
            if let until, bytes.count >= until.count, bytes.count - until.count < 4, Data(bytes.prefix(until.count)) == until {
                found = true
                print("found \(got)")
            }
        }
    }
    let s = try reader.stats()
    print("stats rejected=\(s.rejected) lost=\(s.lost) matched=\(s.matchedWriters)")
    if until != nil, !found { throw ProbeError("\(untilFile) did not arrive before the timeout (took \(got))") }
    if until == nil, got < count { throw ProbeError("took \(got) of \(count) samples before the timeout") }
}

/// Sequence payload: CDR LE header, uint32 seq, uint32 n, n filler bytes (a valid CDR struct).
func seqPublish(_ p: DDSParticipant, _ o: Options) throws {
    let writer = try p.writer(topic: try o.string("topic"), typeName: try o.string("type"), qos: try qos(o))
    let size = max(12, try o.int("size", 64))
    try waitForReader(writer, seconds: try o.int("wait-match-s", 20))
    let period = 1_000_000_000 / Int64(try o.int("rate-hz", 20))
    let end = monotonicNanoseconds() + Int64(try o.int("duration-s", 10)) * 1_000_000_000
    var seq: UInt32 = 0, timeouts = 0
    var next = monotonicNanoseconds()
    while next < end {
        seq += 1
        let sent = try writeOrTimeout(writer, size: size) { b in
            b.storeBytes(of: 0x0000_0100, toByteOffset: 0, as: UInt32.self) // 00 01 00 00
            b.storeBytes(of: seq.littleEndian, toByteOffset: 4, as: UInt32.self)
            b.storeBytes(of: UInt32(size - 12).littleEndian, toByteOffset: 8, as: UInt32.self)
            for i in 12..<size { b[i] = UInt8(truncatingIfNeeded: i) }
        }
        if !sent { timeouts += 1 }
        next += period
        let now = monotonicNanoseconds()
        if next > now { usleep(UInt32((next - now) / 1000)) }
    }
    print("final \(seq) timeouts=\(timeouts)")
    usleep(UInt32(try o.int("linger-ms", 1000) * 1000))
}

func seqSubscribe(_ p: DDSParticipant, _ o: Options) throws {
    let reader = try p.reader(topic: try o.string("topic"), typeName: try o.string("type"), qos: try qos(o))
    print("ready")
    let end = monotonicNanoseconds() + Int64(try o.int("duration-s", 10)) * 1_000_000_000
    while monotonicNanoseconds() < end {
        guard try reader.wait(timeoutNanoseconds: 100_000_000) else { continue }
        try reader.take(max: 64) { bytes, _ in
            guard bytes.count >= 8 else { throw ProbeError("sequence sample of \(bytes.count) bytes") }
            // "got <seq> <CLOCK_MONOTONIC ns at take>" (the clock is shared across network namespaces)
            print("got \(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))) \(monotonicNanoseconds())")
        }
    }
    let s = try reader.stats()
    print("stats rejected=\(s.rejected) lost=\(s.lost) matched=\(s.matchedWriters)")
}

func list(_ p: DDSParticipant, _ o: Options) throws {
    usleep(UInt32(try o.int("seconds", 3)) * 1_000_000)
    for e in try p.endpoints() { print("endpoint \(e)") }
}
