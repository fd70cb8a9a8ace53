import CHorus
import Foundation
import HorusMemory
import HorusTopics
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// 1 publisher process and subscriber processes, real fork/exec, shared pools and rings.
final class CrossProcessTopicTests: XCTestCase {
    /// A namespace of this test process (its child processes inherit it): these tests leave a
    /// crashed process's ring behind on purpose, which another test process's start-up sweep
    /// of a shared namespace would rightly remove first.
    override func setUp() { setenv("HORUS_NAMESPACE", "xpt\(getpid())", 1) }

    /// A pool big enough for a 4096-entry ring of 32x32 images plus what subscribers hold.
    func imagePool(_ tag: String, line: UInt = #line) throws -> Pool {
        try smallPool(tag, line: line, classes: [(4096, 6000)])
    }

    /// Image i's bytes as horus-testproc checks them: (i + position) mod 251.
    func fillImage(_ img: Image, index i: Int) {
        let b = img.bytes
        for k in 0..<b.count { b[k] = UInt8((i + k) % 251) }
    }

    func testOnePublisherThreeSubscribersTenThousandImages() throws {
        let pool = try imagePool("fanout")
        let topic = uniqueTopic("fanout")
        let n = 10_000
        let subs = try (0..<3).map { _ in try ChildProcess("horus-testproc", ["sub-images", pool.name, topic, "\(n)"]) }
        for s in subs { XCTAssertEqual(s.readLine(), "subscribed") }
        let pub = try ChildProcess("horus-testproc", ["pub-images", pool.name, topic, "\(n)", "3", "20"])
        XCTAssertEqual(pub.readLine(), "publishing")
        for s in subs {
            XCTAssertEqual(s.value(after: "result"), "received=\(n) bad=0 outOfOrder=0 dropped=0")
            XCTAssertEqual(s.wait(), 0)
        }
        XCTAssertEqual(pub.value(after: "published"), "\(n)")
        pub.send("done")
        XCTAssertEqual(pub.wait(), 0)
        XCTAssertEqual(pool.slotsInUse, 0, "all processes left: the ring's references were returned")
    }

    /// A stalled subscriber in another process is lapped: it loses exactly the oldest
    /// samples, counts them, then gets the rest in order; the publisher never waits for
    /// it, and a subscriber that keeps up loses nothing.
    func testLappedSubscriberProcessLosesOnlyItsOldestSamplesAndCountsThem() throws {
        let pool = try imagePool("lapped")
        let topic = uniqueTopic("lapped")
        let capacity = 16, n = 100
        let slow = try ChildProcess("horus-testproc", ["sub-lapped", pool.name, topic, "\(capacity)"])
        XCTAssertEqual(slow.readLine(), "subscribed")
        let pub = try Publisher<Image>(topic: topic, capacity: capacity)
        let fast = try Subscriber<Image>(topic: topic, capacity: capacity)
        XCTAssertEqual(pub.ring.capacity, capacity)
        var kept = 0
        let start = horus_monotonic_ns()
        for i in 0..<n {
            let img = try Image(height: 32, width: 32, pool: pool, timestampNs: UInt64(i))
            fillImage(img, index: i)
            try pub.publish(img)
            if let got = fast.tryReceive(), got.timestampNs == UInt64(i), got.bytes[5] == UInt8((i + 5) % 251) { kept += 1 }
        }
        let elapsed = Double(horus_monotonic_ns() - start) / 1e9
        XCTAssertLessThan(elapsed, 2.0, "the publisher does not wait for the stalled reader")
        XCTAssertEqual(kept, n, "the subscriber that keeps up gets every sample")
        XCTAssertEqual(fast.droppedCount, 0)
        slow.send("go")
        XCTAssertEqual(slow.value(after: "result"),
                       "received=\(capacity) dropped=\(n - capacity) first=\(n - capacity) last=\(n - 1) bad=0")
        XCTAssertEqual(slow.wait(), 0)
    }

    func testKilledPublisherMidStreamLeavesSubscriberRunningAndSlotsReturn() throws {
        let pool = try imagePool("killpub")
        let topic = uniqueTopic("killpub")
        var sub: Subscriber<Image>? = try Subscriber<Image>(topic: topic, capacity: 4096, waitPolicy: .block)
        let pub = try ChildProcess("horus-testproc", ["pub-images", pool.name, topic, "1000000", "1", "200"])
        XCTAssertEqual(pub.readLine(), "publishing")
        var got = 0
        while got < 50, let img = sub!.receive(timeout: 5) {
            XCTAssertEqual(img.bytes[0], UInt8(Int(img.timestampNs) % 251))
            got += 1
        }
        XCTAssertEqual(got, 50)
        pub.kill9()
        _ = pub.wait()
        // Drain what was committed; then nothing more comes, and nothing breaks.
        while sub!.receive(timeout: 0.3) != nil {}
        XCTAssertNil(sub!.receive(timeout: 0.1))
        pool.reclaimDeadProcesses()
        XCTAssertGreaterThan(pool.slotsInUse, 0, "the ring still holds its entries while we are subscribed")
        sub = nil  // last participant: the ring returns its entries' references
        XCTAssertEqual(pool.slotsInUse, 0, "every slot came back")
    }

    /// Every process of a topic crashed: the segment is left in /dev/shm with entries
    /// holding slot references. The next open sees only dead participants, returns those
    /// references and starts a fresh ring (so even another type may now open the name).
    func testLeftoverOfCrashedProcessesIsReclaimedOnTheNextOpen() throws {
        let pool = try imagePool("leftover")
        let topic = uniqueTopic("leftover")
        let path = "/dev/shm/" + HorusNamespace.shmName(kind: "topic", name: topic).dropFirst()
        let pub = try ChildProcess("horus-testproc", ["pub-images", pool.name, topic, "20", "0", "0"])
        XCTAssertEqual(pub.readLine(), "publishing")
        XCTAssertEqual(pub.value(after: "published"), "20")
        pub.kill9()
        _ = pub.wait()
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "the crashed publisher left its ring")
        XCTAssertEqual(pool.reclaimDeadProcesses(), 0, "the publisher had dropped its images: only the ring holds them")
        XCTAssertEqual(pool.slotsInUse, 20, "the leftover ring's entries still hold their slots")
        do {
            let sub = try Subscriber<PointCloud>(topic: topic, capacity: 8)
            XCTAssertEqual(sub.ring.typeName, "PointCloud", "a fresh ring, not the dead Image ring")
            XCTAssertEqual(sub.ring.capacity, 8)
            XCTAssertEqual(pool.slotsInUse, 0, "the leftover's references were returned on open")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "removed when the last participant left")
    }

    func testKilledSubscriberHoldingSamplesGetsItsSlotsReclaimed() throws {
        let pool = try imagePool("killsub")
        let topic = uniqueTopic("killsub")
        let pub = try Publisher<Image>(topic: topic, capacity: 8)
        let other = try Subscriber<Image>(topic: topic, capacity: 8)
        let holder = try ChildProcess("horus-testproc", ["sub-hold", pool.name, topic, "5"])
        XCTAssertEqual(holder.readLine(), "subscribed")
        for i in 0..<5 {
            let img = try Image(height: 32, width: 32, pool: pool, timestampNs: UInt64(i))
            try pub.publish(img)
            XCTAssertEqual(other.receive(timeout: 5)?.timestampNs, UInt64(i))
        }
        XCTAssertEqual(holder.value(after: "holding"), "5")
        // Push the 5 samples out of the ring: only the holder keeps them now.
        for i in 5..<13 {
            try pub.publish(try Image(height: 32, width: 32, pool: pool, timestampNs: UInt64(i)))
            XCTAssertEqual(other.receive(timeout: 5)?.timestampNs, UInt64(i))
        }
        XCTAssertEqual(pool.slotsInUse, 8 + 5, "ring entries + the holder's samples")
        holder.kill9()
        _ = holder.wait()
        XCTAssertEqual(pool.reclaimDeadProcesses(), 5)
        XCTAssertEqual(pool.slotsInUse, 8, "the holder's slots came back")
        try pub.publish(try Image(height: 32, width: 32, pool: pool, timestampNs: 99))
        XCTAssertEqual(other.receive(timeout: 5)?.timestampNs, 99, "the rest continue")
    }

    func testSubscriberKilledAsleepStopsCountingAsAWaiterWhenItsRowIsReclaimed() throws {
        let pool = try imagePool("killwait")
        let topic = uniqueTopic("killwait")
        let pub = try Publisher<Image>(topic: topic, capacity: 4096)  // horus-testproc's subscribers ask for 4096
        // A blocking subscriber that waits for images that never come: asleep on the futex.
        let sleeper = try ChildProcess("horus-testproc", ["sub-images", pool.name, topic, "1000"])
        XCTAssertEqual(sleeper.readLine(), "subscribed")
        let deadline = Date().addingTimeInterval(10)
        while pub.ring.sleepingWaiters == 0 && Date() < deadline { usleep(1000) }
        XCTAssertEqual(pub.ring.sleepingWaiters, 1, "the subscriber sleeps on the ring's futex")
        sleeper.kill9()
        _ = sleeper.wait()
        XCTAssertEqual(pub.ring.sleepingWaiters, 1, "a killed process cannot uncount itself")
        // The next process to join reclaims the dead row, and the count with it: publishers stop
        // making a futex wake call per message for nobody.
        let joiner = try ChildProcess("horus-testproc", ["sub-images", pool.name, topic, "0"])
        XCTAssertEqual(joiner.readLine(), "subscribed")
        XCTAssertEqual(joiner.value(after: "result"), "received=0 bad=0 outOfOrder=0 dropped=0")
        XCTAssertEqual(joiner.wait(), 0)
        XCTAssertEqual(pub.ring.sleepingWaiters, 0)
        // A live sleeper still gets every wake: count, publish, receive.
        let live = try ChildProcess("horus-testproc", ["sub-images", pool.name, topic, "1"])
        XCTAssertEqual(live.readLine(), "subscribed")
        while pub.ring.sleepingWaiters == 0 && Date() < deadline.addingTimeInterval(10) { usleep(1000) }
        XCTAssertEqual(pub.ring.sleepingWaiters, 1)
        let img = try Image(height: 32, width: 32, pool: pool, timestampNs: 0)
        fillImage(img, index: 0)
        try pub.publish(img)
        XCTAssertEqual(live.value(after: "result"), "received=1 bad=0 outOfOrder=0 dropped=0")
        XCTAssertEqual(live.wait(), 0)
        XCTAssertEqual(pub.ring.sleepingWaiters, 0)
    }
}
