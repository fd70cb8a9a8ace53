import Foundation
import XCTest

/// Faults between two namespaces: the link goes down and comes back, malformed samples arrive.
final class DDSFaultTests: XCTestCase {
    func testWriterAndReaderResumeAfterLinkDownFor3s() throws {
        let pair = try makeNetnsPair()
        let topic = ["--topic", "rt/horus/seq", "--type", "horus_msgs::msg::dds_::Seq_"]
        let sub = try pair.start("b", [probePath, "seqsub"] + topic + ["--duration-s", "22"])
        XCTAssertNotNil(sub.waitForLine("ready", timeout: 30), "sub: \(sub.lines)")
        let pub = try pair.start("a", [probePath, "seqpub"] + topic + ["--rate-hz", "20", "--duration-s", "12", "--size", "4096"])
        XCTAssertNotNil(pub.waitForLine("matched", timeout: 30), "pub: \(pub.lines)")
        XCTAssertNotNil(sub.waitForLine("got 20", timeout: 10), "samples flow before the outage: \(sub.lines.suffix(5))")
        try pair.link(up: false)
        let before = sub.lines.count
        sleep(3)
        let duringOutage = sub.lines.count - before
        let lastBeforeUp = sub.lines.compactMap { $0.hasPrefix("got ") ? Int($0.dropFirst(4)) : nil }.max() ?? 0
        try pair.link(up: true)
        XCTAssertNotNil(pub.waitForLine("final", timeout: 20), "pub: \(pub.lines)")
        XCTAssertEqual(pub.finish(timeout: 10), 0, "pub: \(pub.lines)")
        let final = Int(pub.waitForLine("final", timeout: 1)!.split(separator: " ")[1])!
        XCTAssertNotNil(sub.waitForLine("got \(final)", timeout: 10), "the reader resumed up to the last sample \(final): \(sub.lines.suffix(5))")
        sub.finish(timeout: 30)
        let seqs = sub.lines.compactMap { $0.hasPrefix("got ") ? Int($0.dropFirst(4)) : nil }
        XCTAssertLessThanOrEqual(duringOutage, 3, "nothing (but what was in flight) arrives while the link is down")
        XCTAssertEqual(seqs, seqs.sorted(), "in order, no duplicates")
        XCTAssertEqual(Set(seqs).count, seqs.count, "no duplicates")
        XCTAssertGreaterThan(seqs.filter { $0 > lastBeforeUp + 60 }.count, 20,
                             "samples written well after the link came back arrive (writer and reader resumed); last before up \(lastBeforeUp): \(seqs)")
        XCTAssertGreaterThan(final, lastBeforeUp + 80, "the writer kept writing through the outage (it never blocked)")
    }

    func testMalformedSamplesAreCountedAndDroppedAndLaterOnesArrive() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        let good = TestImage().cdr
        var badEncapsulation = good
        badEncapsulation[1] = 0x07   // XCDR2: not what a ROS 2 reader accepts here
        let tooBig = Data([0, 1, 0, 0]) + Data(repeating: 0xab, count: 4000)
        let files = [("bad.cdr", badEncapsulation), ("big.cdr", tooBig), ("good.cdr", good)].map { name, data -> String in
            let url = dir.appendingPathComponent(name)
            try! data.write(to: url)
            return url.path
        }
        let topic = ["--topic", "rt/camera/depth", "--type", "sensor_msgs::msg::dds_::Image_"]
        let take = try pair.start("b", [probePath, "take"] + topic + ["--count", "1", "--max-size", "1000", "--depth", "10",
                                                                       "--out-dir", dir.path, "--timeout-s", "40"])
        XCTAssertNotNil(take.waitForLine("ready", timeout: 30), "take: \(take.lines)")
        let pub = try pair.start("a", [probePath, "publish"] + topic + ["--files", files.joined(separator: ","), "--count", "1"])
        XCTAssertEqual(take.finish(timeout: 45), 0, "take: \(take.lines); pub: \(pub.lines)")
        pub.finish(timeout: 10)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("sample-1.cdr")), good, "the well-formed sample after the bad ones")
        XCTAssertTrue(take.lines.contains("stats rejected=2 lost=0 matched=1"), "two samples rejected on arrival: \(take.lines)")
    }
}
