import CHorus
import Foundation
import HorusMemory
import HorusTopics
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

struct Pose: PlainMessage, Equatable {
    static var topicTypeName: String { "Pose" }
    var x: Double, y: Double, yaw: Float, id: UInt32
}

func uniqueTopic(_ tag: String, line: UInt = #line) -> String { "/t\(getpid())/\(tag)/\(line)" }

final class TopicTests: XCTestCase {
    func testSubscriberViewIsThePublishersSlot() throws {
        let pool = try smallPool("zc", classes: [(4096, 32), (8 << 20, 8)])
        let topic = uniqueTopic("zc")
        let pub = try Publisher<Image>(topic: topic)
        let sub = try Subscriber<Image>(topic: topic)
        let img = try Image(height: 1080, width: 1920, encoding: .rgb8, pool: pool, timestampNs: 5, frameID: "cam")
        img.setPixel(x: 7, y: 9, [1, 2, 3])
        try pub.publish(img)
        let got = try XCTUnwrap(sub.tryReceive())
        let a = img.asTensor(), b = got.asTensor()
        XCTAssertEqual(b.storage.pool.id, a.storage.pool.id, "same pool")
        XCTAssertEqual(b.storage.slot, a.storage.slot, "same slot")
        XCTAssertEqual(b.byteOffset, a.byteOffset, "same offset")
        XCTAssertEqual(b.storage.base, a.storage.base)
        XCTAssertTrue(b.isReadOnly, "received samples are read-only")
        XCTAssertEqual(got.pixel(x: 7, y: 9), [1, 2, 3])
        XCTAssertEqual(got.frameID, "cam")
        XCTAssertEqual(pool.referenceCount(slot: a.storage.slot), 3, "publisher's image + ring entry + subscriber's sample")
        XCTAssertNil(sub.tryReceive())
    }

    func testPlainMessagesAcrossThreadsInOrder() throws {
        let topic = uniqueTopic("pose")
        // Capacity above n: the unpaced publisher can never lap the subscriber.
        let pub = try Publisher<Pose>(topic: topic, capacity: 8192)
        let sub = try Subscriber<Pose>(topic: topic, capacity: 8192, waitPolicy: .block)
        let n = 5000
        let t = Thread {
            for i in 0..<n { try! pub.publish(Pose(x: Double(i), y: -Double(i), yaw: 0.5, id: UInt32(i))) }
        }
        t.start()
        for i in 0..<n {
            let p = try XCTUnwrap(sub.receive(timeout: 5))
            XCTAssertEqual(p, Pose(x: Double(i), y: -Double(i), yaw: 0.5, id: UInt32(i)))
        }
        XCTAssertEqual(sub.droppedCount, 0)
    }

    func testTypeMismatchIsAClearError() throws {
        let topic = uniqueTopic("mismatch")
        let pub = try Publisher<Image>(topic: topic)
        XCTAssertThrowsError(try Subscriber<PointCloud>(topic: topic)) { e in
            XCTAssertEqual("\(e)", "topic '\(topic)' carries Image (layout 1, 144 bytes), cannot open it as PointCloud (layout 1, 144 bytes)")
        }
        XCTAssertThrowsError(try Subscriber<Pose>(topic: topic)) { e in
            XCTAssertTrue("\(e)".contains("cannot open it as Pose"), "\(e)")
        }
        // Another process gets the same answer from the shared header.
        let pool = try smallPool("mismatch")
        let child = try ChildProcess("horus-testproc", ["open-as-cloud", pool.name, topic])
        XCTAssertEqual(child.value(after: "error"), "topic '\(topic)' carries Image (layout 1, 144 bytes), cannot open it as PointCloud (layout 1, 144 bytes)")
        XCTAssertEqual(child.wait(), 0)
        _ = pub
    }

    func testBlockingSubscriberSleepsWithoutCPUAndWakesOnPublish() throws {
        let topic = uniqueTopic("block")
        let pub = try Publisher<Pose>(topic: topic)
        let sub = try Subscriber<Pose>(topic: topic, waitPolicy: .block)
        nonisolated(unsafe) var cpuNs: Int64 = 0
        nonisolated(unsafe) var got: Pose?
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            var a = timespec(), b = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
            got = sub.receive(timeout: 5)
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
            cpuNs = Int64(b.tv_sec - a.tv_sec) * 1_000_000_000 + Int64(b.tv_nsec - a.tv_nsec)
            done.signal()
        }
        t.start()
        usleep(300_000)
        try pub.publish(Pose(x: 1, y: 2, yaw: 3, id: 4))
        done.wait()
        XCTAssertEqual(got?.id, 4)
        XCTAssertLessThan(cpuNs, 30_000_000, "an idle blocked subscriber used \(cpuNs) ns of CPU in 300 ms")
        XCTAssertNil(sub.receive(timeout: 0.05), "times out when nothing comes")
    }

    func testTopicSegmentIsRemovedWhenLastParticipantLeaves() throws {
        let topic = uniqueTopic("life")
        let path = "/dev/shm/" + HorusNamespace.shmName(kind: "topic", name: topic).dropFirst()
        var pub: Publisher<Pose>? = try Publisher<Pose>(topic: topic)
        var sub: Subscriber<Pose>? = try Subscriber<Pose>(topic: topic)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        pub = nil
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        sub = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the last participant removes the ring")
        _ = (pub, sub)
    }
}
