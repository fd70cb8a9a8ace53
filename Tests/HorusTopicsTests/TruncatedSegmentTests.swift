import HorusMemory
import HorusSystem
@testable import HorusTopics
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A topic segment shrunk with ftruncate by someone else: neither this process nor
/// another one attached to it dies of SIGBUS; both see the topic as truncated.
final class TruncatedSegmentTests: XCTestCase {
    private func truncate(topic: String) {
        let path = "/dev/shm" + HorusNamespace.shmName(kind: "topic", name: topic)
        let fd = open(path, O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0, path)
        XCTAssertEqual(ftruncate(fd, 0), 0)
        close(fd)
    }

    func testTruncationIsAnErrorOnTheTopicInBothProcesses() throws {
        let pool = try smallPool("trunc", classes: [(1 << 16, 8)])
        let topic = uniqueTopic("trunc")
        let pub = try Publisher<Image>(topic: topic, capacity: 16)
        let child = try ChildProcess("horus-testproc", ["sub-truncated", pool.name, topic])
        XCTAssertEqual(child.readLine(), "subscribed")
        let img = try Image(height: 8, width: 8, encoding: .mono8, pool: pool)
        try pub.publish(img)
        XCTAssertEqual(child.value(after: "got"), "1")
        truncate(topic: topic)
        XCTAssertNoThrow(try pub.publish(img), "the access that faults is absorbed: no SIGBUS")
        XCTAssertTrue(pub.ring.isTruncated)
        XCTAssertThrowsError(try pub.publish(img)) { error in
            XCTAssertEqual(error as? TopicError, .truncated(topic: topic))
            XCTAssertTrue("\(error)".contains("truncated by another process"), "\(error)")
        }
        child.send("go")
        XCTAssertEqual(child.value(after: "result"), "truncated=true received=1")
        XCTAssertEqual(child.value(after: "error"), "\(TopicError.truncated(topic: topic))")
        XCTAssertEqual(child.wait(), 0, "the child exited normally")
        XCTAssertEqual(child.process.terminationReason, .exit)
    }

    func testAReceiveOnATruncatedTopicReturnsAtOnce() throws {
        let topic = uniqueTopic("trunc-local")
        let pub = try Publisher<Pose>(topic: topic, capacity: 8)
        let sub = try Subscriber<Pose>(topic: topic, waitPolicy: .block)
        truncate(topic: topic)
        let start = Date()
        XCTAssertNil(sub.receive(timeout: 5))
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "no wait on a dead topic")
        XCTAssertEqual(sub.lastRejection as? TopicError, .truncated(topic: topic))
        XCTAssertFalse(sub.waitForPending(timeoutNs: 1_000_000_000))
        XCTAssertThrowsError(try pub.publish(Pose(x: 0, y: 0, yaw: 0, id: 1)))
    }
}

/// A pool segment truncated under a live image: its bytes read as zeros, no SIGBUS.
final class TruncatedPoolTests: XCTestCase {
    func testReadingAnImageOfATruncatedPoolReadsZeros() throws {
        let pool = try smallPool("trunc-pool", classes: [(1 << 16, 4)])
        let img = try Image(height: 16, width: 16, encoding: .mono8, pool: pool)
        img.bytes.initializeMemory(as: UInt8.self, repeating: 7)
        let path = "/dev/shm" + HorusNamespace.shmName(kind: "pool", name: pool.name)
        XCTAssertEqual(Glibc.truncate(path, 0), 0)
        XCTAssertEqual(img.bytes.reduce(0) { $0 + Int($1) }, 0, "the mapping now reads zeros")
    }
}
