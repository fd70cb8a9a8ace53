import CHorus
import HorusMemory
@testable import HorusTopics
import HorusTestSupport
import XCTest

/// A ring entry is shared memory any process of the namespace can write. Subscribers
/// copy it to private scratch and validate that copy in place; these tests overwrite
/// committed entries the way a hostile or broken process could and check that the
/// subscriber refuses exactly those, says which field, takes no slot reference for
/// them, and goes on receiving the valid ones.
final class HostileEntryTests: XCTestCase {
    private func overwrite<T>(_ ring: TopicRing, ticket: UInt64, field: KeyPath<horus_descriptor, T>, with value: T) {
        let offset = MemoryLayout<horus_descriptor>.offset(of: field)!
        ring.payload(ticket).storeBytes(of: value, toByteOffset: offset, as: T.self)
    }

    func testCorruptedEntriesAreRefusedByFieldAndLaterOnesStillArrive() throws {
        let pool = try smallPool("hostile", classes: [(1 << 20, 8)])
        let topic = uniqueTopic("hostile")
        let pub = try Publisher<Image>(topic: topic, capacity: 8)
        let sub = try Subscriber<Image>(topic: topic, capacity: 8)
        let img = try Image(height: 48, width: 64, encoding: .rgb8, pool: pool, frameID: "cam")
        img.setPixel(x: 3, y: 4, [9, 8, 7])
        let slot = img.asTensor().storage.slot

        // Entry 0: byte_length beyond the slot's capacity.
        try pub.publish(img)
        overwrite(sub.ring, ticket: 0, field: \.byte_length, with: UInt64(1) << 40)
        // Entry 1: an extent whose span overflows the byte length.
        try pub.publish(img)
        overwrite(sub.ring, ticket: 1, field: \.shape.0, with: UInt32.max)
        // Entry 2: a frame id with no terminating NUL.
        try pub.publish(img)
        let frameID = MemoryLayout<horus_descriptor>.offset(of: \.frame_id)!
        sub.ring.payload(2).advanced(by: frameID).initializeMemory(as: UInt8.self, repeating: 0x41, count: Int(HORUS_FRAME_ID_CAPACITY))
        // Entry 3: valid.
        try pub.publish(img)

        let got = try XCTUnwrap(sub.tryReceive(), "the valid entry after three refused ones arrives")
        XCTAssertEqual(sub.rejectedCount, 3)
        XCTAssertEqual(sub.receivedCount, 1)
        XCTAssertEqual(got.pixel(x: 3, y: 4), [9, 8, 7])
        XCTAssertEqual(got.frameID, "cam")
        XCTAssertEqual(pool.referenceCount(slot: slot), 1 + 4 + 1,
                       "the image, four ring entries and the one received view: refused entries took no reference")
        XCTAssertNil(sub.tryReceive())

        // The last refusal names its field and value.
        let text = "\(try XCTUnwrap(sub.lastRejection))"
        XCTAssertTrue(text.contains("frame_id"), text)
    }

    func testEachCorruptionIsNamedInTheRejection() throws {
        let pool = try smallPool("hostile1", classes: [(1 << 20, 8)])
        let cases: [(String, (TopicRing) -> Void)] = [
            ("byte_length", { r in self.overwrite(r, ticket: 0, field: \.byte_length, with: UInt64(1) << 40) }),
            ("shape", { r in self.overwrite(r, ticket: 0, field: \.shape.0, with: UInt32.max) }),
            ("generation", { r in self.overwrite(r, ticket: 0, field: \.generation, with: 0xDEAD) }),
            ("magic", { r in self.overwrite(r, ticket: 0, field: \.magic, with: UInt16(0x1234)) }),
            ("dtype", { r in self.overwrite(r, ticket: 0, field: \.dtype, with: UInt8(200)) }),
        ]
        for (i, (field, corrupt)) in cases.enumerated() {
            let topic = uniqueTopic("hostile-\(i)")
            let pub = try Publisher<Image>(topic: topic, capacity: 4)
            let sub = try Subscriber<Image>(topic: topic, capacity: 4)
            let img = try Image(height: 8, width: 8, encoding: .mono8, pool: pool)
            try pub.publish(img)
            corrupt(sub.ring)
            XCTAssertNil(sub.tryReceive(), field)
            let refused = sub.rejectedCount + sub.droppedCount
            XCTAssertEqual(refused, 1, field)
            if let e = sub.lastRejection {
                XCTAssertTrue("\(e)".contains(field), "\(field): \(e)")
            } else {
                XCTAssertEqual(sub.droppedCount, 1, "\(field): a stale generation counts as dropped (recycled slot)")
            }
            XCTAssertEqual(pool.referenceCount(slot: img.asTensor().storage.slot), 2, "\(field): the image and the entry only")
        }
    }
}
