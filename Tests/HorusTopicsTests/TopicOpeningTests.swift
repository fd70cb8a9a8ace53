import Foundation
import HorusMemory
import HorusTopics
import HorusTestSupport
import XCTest

/// Explicit open options: create / open / open-or-create, and capacities that must agree.
final class TopicOpeningTests: XCTestCase {
    func testAnExplicitCapacityThatDiffersFromTheExistingRingsIsAnErrorNamingBoth() throws {
        let topic = uniqueTopic("cap")
        let pub = try Publisher<Pose>(topic: topic, capacity: 64)
        XCTAssertThrowsError(try Subscriber<Pose>(topic: topic, capacity: 16)) { error in
            XCTAssertEqual(error as? TopicError, .capacityMismatch(topic: topic, existing: 64, requested: 16))
            let text = "\(error)"
            XCTAssertTrue(text.contains("'\(topic)'") && text.contains("capacity 64") && text.contains("capacity 16"), text)
        }
        // Rounded before comparing: 40 asks for 64 entries.
        XCTAssertEqual(try Subscriber<Pose>(topic: topic, capacity: 40).ring.capacity, 64)
        XCTAssertThrowsError(try Subscriber<Pose>(topic: topic, capacity: 100)) { error in
            XCTAssertTrue("\(error)".contains("100 (rounded up to 128)"), "\(error)")
        }
        // No capacity: the existing ring as it is.
        XCTAssertEqual(try Subscriber<Pose>(topic: topic).ring.capacity, 64)
        XCTAssertEqual(pub.ring.capacity, 64)
    }

    func testTheCapacityCheckAppliesAcrossProcesses() throws {
        let pool = try smallPool("capx", classes: [(4096, 16)])
        let topic = uniqueTopic("capx")
        let pub = try Publisher<Image>(topic: topic, capacity: 8)
        // sub-lapped subscribes with the capacity it is given: 32 for a ring of 8.
        let child = try ChildProcess("horus-testproc", ["sub-lapped", pool.name, topic, "32"])
        XCTAssertEqual(child.wait(), 2, "the other process's open fails (horus-testproc exits 2 on an error)")
        XCTAssertEqual(pub.ring.participants.count, 1, "it never joined")
    }

    func testOpenFindsOnlyAnExistingTopicAndCreateOnlyANewOne() throws {
        let topic = uniqueTopic("opening")
        XCTAssertThrowsError(try Subscriber<Pose>(topic: topic, opening: .open)) { error in
            XCTAssertEqual(error as? TopicError, .notFound(topic: topic))
            XCTAssertTrue("\(error)".contains("'\(topic)' does not exist"), "\(error)")
        }
        XCTAssertNil(TopicRing.recordedTypeName(topic: topic), "a failed open creates nothing")
        let created = try Publisher<Pose>(topic: topic, capacity: 32, opening: .create)
        XCTAssertEqual(created.ring.capacity, 32)
        XCTAssertThrowsError(try Publisher<Pose>(topic: topic, opening: .create)) { error in
            XCTAssertEqual(error as? TopicError, .alreadyExists(topic: topic))
        }
        let opened = try Subscriber<Pose>(topic: topic, opening: .open)
        XCTAssertEqual(opened.ring.capacity, 32)
        // Process-local topics follow the same rules.
        let local = uniqueTopic("opening-local")
        XCTAssertThrowsError(try Subscriber<Pose>(topic: local, opening: .open, scope: .process)) { error in
            XCTAssertEqual(error as? TopicError, .notFound(topic: local))
        }
        let localPub = try Publisher<Pose>(topic: local, opening: .create, scope: .process)
        XCTAssertEqual(try Subscriber<Pose>(topic: local, opening: .open, scope: .process).ring.capacity, 16)
        XCTAssertEqual(localPub.ring.capacity, 16, "16 entries when created without a capacity")
    }

    func testTheInspectorReadsARingWithoutJoiningIt() throws {
        let topic = uniqueTopic("inspect")
        let pub = try Publisher<Pose>(topic: topic, capacity: 4)
        let sub = try Subscriber<Pose>(topic: topic)
        let inspector = try TopicInspector(topic: topic)
        XCTAssertEqual(inspector.typeName, "Pose")
        XCTAssertEqual(inspector.capacity, 4)
        XCTAssertFalse(inspector.isPoolBacked)
        XCTAssertEqual(inspector.participants.map(\.pid), [getpid()], "one participant: this process, not the inspector twice")
        XCTAssertEqual(inspector.participants.first?.publishers, 1)
        XCTAssertEqual(inspector.participants.first?.subscribers, 1)
        guard case .notYet = inspector.read(ticket: 0) else { return XCTFail("nothing published yet") }
        for i in 0..<6 { try pub.publish(Pose(x: Double(i), y: 0, yaw: 0, id: UInt32(i))) }
        XCTAssertEqual(inspector.publishedCount, 6)
        guard case .lapped = inspector.read(ticket: 0) else { return XCTFail("ticket 0 was overwritten by ticket 4") }
        guard case .message(let bytes) = inspector.read(ticket: 5) else { return XCTFail("ticket 5 is committed") }
        XCTAssertEqual(bytes.withUnsafeBytes { $0.load(fromByteOffset: 20, as: UInt32.self) }, 5, "Pose.id of ticket 5")
        XCTAssertTrue(TopicInspector.scan().topics.contains { $0.topic == topic })
        XCTAssertEqual(sub.tryReceive()?.id, 2, "the subscriber was lapped by 2 and is unaffected by the inspector")
        let absent = uniqueTopic("absent")
        XCTAssertThrowsError(try TopicInspector(topic: absent)) { error in
            XCTAssertEqual(error as? TopicError, .notFound(topic: absent))
        }
    }
}
