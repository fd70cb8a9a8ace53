import CHorus
import Foundation
import HorusMemory
import HorusTopics
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The same topic semantics in both scopes: every test runs against a shared-memory
/// ring (`.interprocess`) and a process-local one (`.process`).
final class TopicScopeTests: XCTestCase {
    private let scopes: [TopicScope] = [.interprocess, .process]

    func testPlainMessagesAcrossThreadsInOrderInBothScopes() throws {
        for scope in scopes {
            let topic = uniqueTopic("order-\(scope)")
            let pub = try Publisher<Pose>(topic: topic, capacity: 8192, scope: scope)
            let sub = try Subscriber<Pose>(topic: topic, capacity: 8192, waitPolicy: .block, scope: scope)
            let n = 5000
            let t = Thread { for i in 0..<n { try! pub.publish(Pose(x: Double(i), y: -Double(i), yaw: 0.5, id: UInt32(i))) } }
            t.start()
            for i in 0..<n {
                let p = try XCTUnwrap(sub.receive(timeout: 5), "\(scope)")
                XCTAssertEqual(p, Pose(x: Double(i), y: -Double(i), yaw: 0.5, id: UInt32(i)), "\(scope)")
            }
            XCTAssertEqual(sub.droppedCount, 0, "\(scope)")
            XCTAssertEqual(sub.receivedCount, UInt64(n), "\(scope)")
            XCTAssertEqual(pub.ring.publishedCount, UInt64(n), "\(scope)")
        }
    }

    func testLappingDropsOldestAndCountsExactlyInBothScopes() throws {
        for scope in scopes {
            let pool = try smallPool("lap-\(scope)", classes: [(256, 64)])
            let topic = uniqueTopic("lap-\(scope)")
            do {
                let pub = try Publisher<Tensor>(topic: topic, capacity: 16, scope: scope)
                let slow = try Subscriber<Tensor>(topic: topic, scope: scope)
                let fast = try Subscriber<Tensor>(topic: topic, scope: scope)
                XCTAssertEqual(pub.ring.capacity, 16)
                XCTAssertEqual(pub.ring.scope, scope)
                var fastSeen = [Double]()
                for i in 0..<100 {
                    let t = try Tensor(shape: [4], pool: pool)
                    t[element: 0] = Double(i)
                    try pub.publish(t)
                    fastSeen.append(try XCTUnwrap(fast.tryReceive())[element: 0])
                }
                XCTAssertEqual(fastSeen, (0..<100).map(Double.init), "\(scope)")
                XCTAssertEqual(slow.backlog, 100, "\(scope)")
                XCTAssertTrue(slow.hasPending, "\(scope)")
                var got = [Double]()
                while let t = slow.tryReceive() { got.append(t[element: 0]) }
                XCTAssertEqual(got, (84..<100).map(Double.init), "the newest 16 remain (\(scope))")
                XCTAssertEqual(slow.droppedCount, 84, "\(scope)")
                XCTAssertEqual(fast.droppedCount, 0, "\(scope)")
                XCTAssertFalse(slow.hasPending, "\(scope)")
                XCTAssertEqual(pool.slotsInUse, 16, "only the ring's 16 entries hold slots (\(scope))")
            }
            XCTAssertEqual(pool.slotsInUse, 0, "closing the topic returns every slot (\(scope))")
        }
    }

    func testHistoryDeliversLastKInBothScopes() throws {
        for scope in scopes {
            let topic = uniqueTopic("hist-\(scope)")
            let pub = try Publisher<Pose>(topic: topic, capacity: 8, scope: scope)
            for i in 0..<5 { try pub.publish(Pose(x: 0, y: 0, yaw: 0, id: UInt32(i))) }
            let late = try Subscriber<Pose>(topic: topic, history: 3, scope: scope)
            XCTAssertEqual([late.tryReceive()?.id, late.tryReceive()?.id, late.tryReceive()?.id], [2, 3, 4], "\(scope)")
            XCTAssertNil(late.tryReceive(), "\(scope)")
            let fresh = try Subscriber<Pose>(topic: topic, scope: scope)
            XCTAssertNil(fresh.tryReceive(), "history 0 starts at the next sample (\(scope))")
        }
    }

    func testReceivedImageIsAReadOnlyViewOfThePublishersSlotInBothScopes() throws {
        for scope in scopes {
            let pool = try smallPool("zc-\(scope)", classes: [(4096, 32), (1 << 20, 4)])
            let topic = uniqueTopic("zc-\(scope)")
            let pub = try Publisher<Image>(topic: topic, scope: scope)
            let sub = try Subscriber<Image>(topic: topic, scope: scope)
            // A frame id longer than a descriptor holds: both scopes deliver its first 23 bytes.
            let img = try Image(height: 48, width: 64, encoding: .rgb8, pool: pool, timestampNs: 5,
                                frameID: "camera_front_left_optical_frame")
            img.setPixel(x: 7, y: 9, [1, 2, 3])
            try pub.publish(img)
            let got = try XCTUnwrap(sub.tryReceive(), "\(scope)")
            let a = img.asTensor(), b = got.asTensor()
            XCTAssertEqual(b.storage.pool.id, a.storage.pool.id, "\(scope)")
            XCTAssertEqual(b.storage.slot, a.storage.slot, "same slot (\(scope))")
            XCTAssertEqual(b.storage.base, a.storage.base, "\(scope)")
            XCTAssertEqual(b.shape, a.shape, "\(scope)")
            XCTAssertTrue(b.isReadOnly, "received samples are read-only (\(scope))")
            XCTAssertFalse(img.asTensor().isReadOnly, "the publisher's image stays writable (\(scope))")
            XCTAssertEqual(got.pixel(x: 7, y: 9), [1, 2, 3], "\(scope)")
            XCTAssertEqual(got.timestampNs, 5, "\(scope)")
            XCTAssertEqual(got.frameID, "camera_front_left_optic", "\(scope)")
            XCTAssertNil(sub.tryReceive(), "\(scope)")
        }
    }

    func testRingKeepsTheSlotAliveAfterThePublisherDropsItInBothScopes() throws {
        for scope in scopes {
            let pool = try smallPool("alive-\(scope)", classes: [(256, 8)])
            let topic = uniqueTopic("alive-\(scope)")
            do {
                let pub = try Publisher<Tensor>(topic: topic, scope: scope)
                let sub = try Subscriber<Tensor>(topic: topic, scope: scope)
                var slot: UInt32 = 0
                do {
                    let t = try Tensor(shape: [4], pool: pool)
                    slot = t.storage.slot
                    t[element: 2] = 42
                    try pub.publish(t)
                    try pub.publish(t)  // a second entry on the same slot: two ring references
                }
                XCTAssertEqual(pool.slotsInUse, 1, "the entries hold it (\(scope))")
                XCTAssertEqual(pool.referenceCount(slot: slot), 2, "one reference per entry (\(scope))")
                let got = try XCTUnwrap(sub.tryReceive(), "\(scope)")
                XCTAssertEqual(got[element: 2], 42, "\(scope)")
                XCTAssertEqual(pool.referenceCount(slot: slot), 3, "the sample's own reference (\(scope))")
            }
            // The last publisher and subscriber left: the ring returned its entries' references.
            XCTAssertEqual(pool.slotsInUse, 0, "nothing held after the topic is gone (\(scope))")
        }
    }

    func testTypeMismatchIsTheSameErrorInBothScopes() throws {
        for scope in scopes {
            let topic = uniqueTopic("mismatch-\(scope)")
            let pub = try Publisher<Image>(topic: topic, scope: scope)
            XCTAssertThrowsError(try Subscriber<PointCloud>(topic: topic, scope: scope)) { e in
                XCTAssertEqual("\(e)", "topic '\(topic)' carries Image (layout 1, 144 bytes), cannot open it as PointCloud (layout 1, 144 bytes)")
            }
            XCTAssertThrowsError(try Subscriber<Pose>(topic: topic, scope: scope)) { e in
                XCTAssertTrue("\(e)".contains("cannot open it as Pose"), "\(e)")
            }
            _ = pub
        }
    }

    func testAProcessLocalTopicHasNoSharedMemoryAndOneScopePerName() throws {
        let topic = uniqueTopic("local")
        let path = "/dev/shm/" + HorusNamespace.shmName(kind: "topic", name: topic).dropFirst()
        let pub = try Publisher<Pose>(topic: topic, scope: .process)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "no shm object for a local topic")
        XCTAssertNil(TopicRing.recordedTypeName(topic: topic), "invisible to other processes")
        XCTAssertEqual(pub.ring.participants.count, 1)
        XCTAssertEqual(pub.ring.typeName, "Pose")
        XCTAssertThrowsError(try Subscriber<Pose>(topic: topic, scope: .interprocess)) { e in
            XCTAssertTrue("\(e)".contains("scope process"), "\(e)")
        }
        let shared = uniqueTopic("shared")
        let sp = try Publisher<Pose>(topic: shared)
        XCTAssertThrowsError(try Subscriber<Pose>(topic: shared, scope: .process))
        _ = sp
    }

    func testBlockingLocalSubscriberWakesOnPublish() throws {
        let topic = uniqueTopic("lblock")
        let pub = try Publisher<Pose>(topic: topic, scope: .process)
        let sub = try Subscriber<Pose>(topic: topic, waitPolicy: .block, scope: .process)
        nonisolated(unsafe) var got: Pose?
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            got = sub.receive(timeout: 5)
            done.signal()
        }
        t.start()
        usleep(100_000)
        try pub.publish(Pose(x: 1, y: 2, yaw: 3, id: 4))
        done.wait()
        XCTAssertEqual(got?.id, 4)
        XCTAssertNil(sub.receive(timeout: 0.05), "times out when nothing comes")
        XCTAssertFalse(sub.waitForPending(timeoutNs: 1_000_000))
    }

    func testConcurrentPublishersAndReadersNeverSeeATornOrRecycledSampleInBothScopes() throws {
        for scope in scopes {
            let pool = try smallPool("race-\(scope)", classes: [(256, 64)])
            let topic = uniqueTopic("race-\(scope)")
            let pubs = try (0..<2).map { _ in try Publisher<Tensor>(topic: topic, capacity: 8, scope: scope) }
            let sub = try Subscriber<Tensor>(topic: topic, capacity: 8, waitPolicy: .spin, scope: scope)
            let n = 3000
            let group = DispatchGroup()
            for (k, pub) in pubs.enumerated() {
                group.enter()
                Thread {
                    for i in 0..<n {
                        let t = try! Tensor(shape: [8], pool: pool)
                        for e in 0..<8 { t[element: e] = Double(k * 100_000 + i) }
                        try! pub.publish(t)
                    }
                    group.leave()
                }.start()
            }
            var last = [-1.0, -1.0]
            var received = 0
            while received + Int(sub.droppedCount) < 2 * n {
                guard let t = sub.receive(timeout: 5) else { break }
                let v = t[element: 0]
                for e in 1..<8 { XCTAssertEqual(t[element: e], v, "torn sample (\(scope))") }
                let k = v >= 100_000 ? 1 : 0
                XCTAssertGreaterThan(v, last[k], "per-publisher order (\(scope))")
                last[k] = v
                received += 1
            }
            group.wait()
            XCTAssertGreaterThan(received, 0, "\(scope)")
            XCTAssertEqual(sub.rejectedCount, 0, "\(scope)")
        }
    }
}
