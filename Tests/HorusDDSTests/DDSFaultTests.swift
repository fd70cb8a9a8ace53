import Foundation
import HorusDDS
import XCTest

/// Faults between two namespaces: the link goes down and comes back, malformed samples arrive.
final class DDSFaultTests: XCTestCase {
    func testWriterAndReaderResumeAfterLinkDownFor3s() throws {
        let pair = try makeNetnsPair()
        let topic = ["--topic", "rt/horus/seq", "--type", "horus_msgs::msg::dds_::Seq_"]
        let sub = try pair.start("b", [probePath, "seqsub"] + topic + ["--duration-s", "24"])
        XCTAssertNotNil(sub.waitForLine("ready", timeout: 30), "sub: \(sub.lines)")
        let pub = try pair.start("a", [probePath, "seqpub"] + topic + ["--rate-hz", "20", "--duration-s", "12", "--size", "16384"])
        XCTAssertNotNil(pub.waitForLine("matched", timeout: 30), "pub: \(pub.lines)")
        XCTAssertNotNil(sub.waitForLine("got 20 ", timeout: 10), "samples flow before the outage: \(sub.lines.suffix(5))")
        try pair.link(up: false)
        let down = monotonicNow()
        sleep(3)
        let up = monotonicNow()
        try pair.link(up: true)
        XCTAssertNotNil(pub.waitForLine("final", timeout: 20), "pub: \(pub.lines)")
        XCTAssertEqual(pub.finish(timeout: 10), 0, "pub: \(pub.lines)")
        let finalLine = pub.waitForLine("final", timeout: 1)!.split(separator: " ")
        let final = Int(finalLine[1])!, timeouts = Int(finalLine[2].dropFirst("timeouts=".count))!
        XCTAssertNotNil(sub.waitForLine("got \(final) ", timeout: 10), "the reader resumed up to the last sample \(final): \(sub.lines.suffix(5))")
        sub.finish(timeout: 30)

        // (seq, time taken) of every sample, on the clock the test read at link down and up.
        let got = sub.lines.compactMap { line -> (seq: Int, t: Int64)? in
            let f = line.split(separator: " ")
            guard f.count == 3, f[0] == "got", let seq = Int(f[1]), let t = Int64(f[2]) else { return nil }
            return (seq, t)
        }
        let seqs = got.map(\.seq)
        XCTAssertEqual(seqs, seqs.sorted(), "in order")
        XCTAssertEqual(Set(seqs).count, seqs.count, "no duplicates")
        let lastBeforeDown = got.filter { $0.t < down }.map(\.seq).max() ?? 0
        let during = got.filter { $0.t > down + 300_000_000 && $0.t < up }
        XCTAssertTrue(during.isEmpty, "nothing arrives while the link is down: \(during)")
        let newAfterUp = got.filter { $0.t > up && $0.seq > lastBeforeDown + 60 }
        XCTAssertGreaterThan(newAfterUp.count, 20,
                             "samples written after the link came back arrive (writer and reader resumed): \(seqs)")
        XCTAssertGreaterThanOrEqual(final, 200, "the writer kept its 20 Hz through the outage (waits are bounded)")
        // Reliable is KEEP_ALL: a sample is either delivered or its write timed out (counted), none is replaced
        // silently. The outage's 60 x 16 kB pass Cyclone's 500 kB unacknowledged-bytes watermark: both happen.
        XCTAssertGreaterThan(timeouts, 0, "writes during the outage timed out once the unacknowledged bytes passed Cyclone's watermark")
        XCTAssertEqual(Set(seqs).count + timeouts, final, "every sample arrived or was a counted timeout: \(seqs.count) arrived, \(timeouts) timeouts")
    }

    private func monotonicNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    func testMalformedSamplesAreCountedAndDroppedAndLaterOnesArrive() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        var primerImage = TestImage()
        primerImage.frameID = "primer"
        let good = TestImage().cdr
        var badEncapsulation = good
        badEncapsulation[1] = 0x07   // XCDR2: not what a ROS 2 reader accepts here
        let tooBig = Data([0, 1, 0, 0]) + Data(repeating: 0xab, count: 4000)
        func file(_ name: String, _ data: Data) throws -> String {
            let url = dir.appendingPathComponent(name)
            try data.write(to: url)
            return url.path
        }
        let primer = try file("primer.cdr", primerImage.cdr), final = try file("good.cdr", good)
        let files = [try file("bad.cdr", badEncapsulation), try file("big.cdr", tooBig), final]
        let topic = ["--topic", "rt/camera/depth", "--type", "sensor_msgs::msg::dds_::Image_"]
        let take = try pair.start("b", [probePath, "take"] + topic + ["--until-file", final, "--max-size", "1000", "--depth", "100",
                                                                       "--timeout-s", "40"])
        XCTAssertNotNil(take.waitForLine("ready", timeout: 30), "take: \(take.lines)")
        let go = dir.appendingPathComponent("go")
        let pub = try pair.start("a", [probePath, "publish"] + topic + ["--files", files.joined(separator: ","), "--count", "1",
                                                                       "--primer-file", primer, "--go-file", go.path, "--depth", "10"])
        // Only once the reader took a primer is it surely in sync with the writer: then the bad ones go.
        XCTAssertNotNil(take.waitForLine("got 1 ", timeout: 30), "take: \(take.lines); pub: \(pub.lines)")
        XCTAssertTrue(FileManager.default.createFile(atPath: go.path, contents: Data()))
        XCTAssertEqual(take.finish(timeout: 45), 0, "take: \(take.lines); pub: \(pub.lines)")
        pub.finish(timeout: 10)
        XCTAssertNotNil(take.waitForLine("found", timeout: 1), "the well-formed sample after the bad ones arrived: \(take.lines)")
        XCTAssertTrue(take.lines.contains("stats rejected=2 lost=0 matched=1"), "the two bad samples were rejected on arrival: \(take.lines)")
    }

    /// Reliable writers of 1.2 MB samples (depth 1 and 100) with the link down: the first write is
    /// queued, each later one waits `DDSQoS.maxBlockingMilliseconds` for acknowledgements and fails
    /// with a timeout (the sample is not sent) -- a loss the caller counts, and a bounded wait.
    /// When the link comes back, each writer's one queued sample arrives.
    func testReliableWritesWithTheLinkDownTimeOutAfterTheMaxBlockingTime() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        let topic = ["--topic", "rt/camera/depth", "--type", "sensor_msgs::msg::dds_::Image_"]
        let take = try pair.start("b", [probePath, "take"] + topic + ["--count", "1000", "--timeout-s", "25", "--depth", "8"])
        XCTAssertNotNil(take.waitForLine("ready", timeout: 30), "take: \(take.lines)")
        var bursts: [(NetnsProcess, URL)] = []
        for depth in ["1", "100"] {
            let go = dir.appendingPathComponent("go\(depth)")
            bursts.append((try pair.start("a", [probePath, "burst"] + topic + ["--size", "1228800", "--count", "4", "--depth", depth,
                                                                              "--go-file", go.path]), go))
        }
        for (b, _) in bursts { XCTAssertNotNil(b.waitForLine("matched", timeout: 30), "burst: \(b.lines)") }
        try pair.link(up: false) // no acknowledgements from now on
        var results: [[String]] = [], timings: [Int] = []
        for (b, go) in bursts {
            XCTAssertTrue(FileManager.default.createFile(atPath: go.path, contents: Data()))
            XCTAssertNotNil(b.waitForLine("write 4 ", timeout: 20), "burst: \(b.lines.filter { $0.hasPrefix("write") })")
            let writes = b.lines.map { $0.split(separator: " ") }.filter { $0.count == 4 && $0[0] == "write" }
            results.append(writes.map { String($0[2]) })
            timings += writes.dropFirst().compactMap { Int($0[3]) }
        }
        try pair.link(up: true) // a writer with unacknowledged data lingers on exit while the link is down
        for (b, _) in bursts { XCTAssertEqual(b.finish(timeout: 20), 0, "burst: \(b.lines.filter { $0.hasPrefix("write") })") }
        XCTAssertEqual(results, [["ok", "timeout", "timeout", "timeout"], ["ok", "timeout", "timeout", "timeout"]],
                       "the first write is queued, the others find it unacknowledged and time out (any depth)")
        let wait = DDSQoS.maxBlockingMilliseconds * 1000
        for t in timings { XCTAssertTrue(t >= wait - 1000 && t < wait + 50_000, "a refused write waits the max blocking time: \(timings) us") }
        XCTAssertTrue(waitUntil(10) { take.lines.contains { $0.hasPrefix("got 2 ") } }, "each writer's queued sample arrived: \(take.lines)")
        sleep(1)
        take.finish(timeout: 0)
        XCTAssertEqual(take.lines.filter { $0.hasPrefix("got ") }.count, 2, "only the queued samples, nothing that timed out: \(take.lines)")
    }
}
