import CHorus
import HorusMemory
@testable import HorusTopics
import HorusTestSupport
import XCTest

/// Random bytes over a ring's entries (what a broken or hostile process of the namespace
/// can write): receives and waits must end, honour their timeout, count the damage once,
/// and deliver again as soon as a publisher overwrites the damaged entry.
final class ScribbledRingTests: XCTestCase {
    /// Fills every entry of the ring with bytes from a seeded generator.
    private func scribble(_ ring: TopicRing, seed: UInt64) {
        var x = seed
        let bytes = ring.entries.assumingMemoryBound(to: UInt64.self)
        for i in 0..<(ring.capacity * ring.stride / 8) {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407  // Knuth's MMIX LCG
            bytes[i] = x ^ (x >> 29)
        }
    }

    func testRandomEntriesEndTimedReceivesAndPublishingResumes() throws {
        for seed: UInt64 in [1, 2, 3] {
            let topic = uniqueTopic("scribble-\(seed)")
            let pub = try Publisher<Pose>(topic: topic, capacity: 8)
            let sub = try Subscriber<Pose>(topic: topic, capacity: 8, waitPolicy: .block)
            scribble(sub.ring, seed: seed)
            XCTAssertNil(sub.tryReceive(), "seed \(seed)")
            XCTAssertFalse(sub.hasPending, "seed \(seed): a damaged entry is not pending")
            let start = horus_monotonic_ns()
            XCTAssertNil(sub.receive(timeout: 0.2), "seed \(seed)")
            let elapsed = Double(horus_monotonic_ns() - start) / 1e9
            XCTAssertGreaterThanOrEqual(elapsed, 0.19, "seed \(seed)")
            XCTAssertLessThan(elapsed, 1.0, "seed \(seed): the wait ends at its timeout")
            XCTAssertFalse(sub.waitForPending(timeoutNs: 20_000_000), "seed \(seed)")
            XCTAssertEqual(sub.rejectedCount, 1, "seed \(seed): the damaged entry is counted once")
            let text = "\(try XCTUnwrap(sub.lastRejection))"
            XCTAssertTrue(text.contains("ticket 0 is damaged"), text)
            // Every entry's lock word is random too: publishing takes each over.
            for i in 0..<8 { try pub.publish(Pose(x: Double(100 + i), y: 0, yaw: 0, id: UInt32(100 + i))) }
            var got: [UInt64] = []
            while let m = sub.receive(timeout: 1) {
                got.append(UInt64(m.id))
                if got.count == 8 { break }
            }
            XCTAssertEqual(got, (100..<108).map(UInt64.init), "seed \(seed)")
        }
    }

    func testDamagedEntryBehindTheCursorIsSkippedAsDropped() throws {
        let topic = uniqueTopic("scribble-behind")
        let pub = try Publisher<Pose>(topic: topic, capacity: 4)
        let sub = try Subscriber<Pose>(topic: topic, capacity: 4)
        for i in 0..<3 { try pub.publish(Pose(x: Double(i), y: 0, yaw: 0, id: UInt32(i))) }
        sub.ring.entrySeq(0).store(UInt64(1) << 60, ordering: .releasing)  // claims a far future ticket
        XCTAssertEqual(sub.tryReceive()?.id, 1)
        XCTAssertEqual(sub.droppedCount, 1)
        XCTAssertEqual(sub.tryReceive()?.id, 2)
        XCTAssertNil(sub.tryReceive())
        XCTAssertEqual(sub.rejectedCount, 0)
    }
}

