import HorusMemory
import HorusTopics
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A subscriber reuses the slot-reference object of a received sample no view holds any
/// more (`SlotStorageCache`): a kept view still owns its slot and bytes, and every slot
/// reference goes back once the views are dropped.
final class StorageReuseTests: XCTestCase {
    private func filled(_ value: UInt8, _ pool: Pool, _ t: UInt64) throws -> Image {
        let image = try Image(height: 8, width: 8, encoding: .mono8, pool: pool, timestampNs: t, frameID: "reuse")
        memset(image.bytes.baseAddress!, Int32(value), image.bytes.count)
        return image
    }

    private func allBytes(_ image: Image, equal value: UInt8) -> Bool {
        UnsafeRawBufferPointer(image.bytes).allSatisfy { $0 == value }
    }

    func testKeptViewsKeepTheirSlotAndBytesWhileDroppedSamplesStorageIsReused() throws {
        let tag = "t\(getpid())-reuse"
        let pool = try Pool.open(name: "\(tag)-pool", configuration: PoolConfiguration(classes: [.init(slotSize: 4096, slotCount: 16)], processCapacity: 4))
        do {
            let pub = try Publisher<Image>(topic: "/\(tag)/cam", capacity: 4)
            let sub = try Subscriber<Image>(topic: "/\(tag)/cam", waitPolicy: .spin)

            // A dropped sample's object is reused for the next one. Without the cache its
            // memory would be freed and taken by `decoy` (same class), so the next
            // sample's object would be another address.
            try pub.publish(try filled(1, pool, 1))
            var first: Image? = try XCTUnwrap(sub.tryReceive())
            let firstID = ObjectIdentifier(first!.asTensor().storage)
            first = nil
            let decoy = try Tensor(dims: Dims([64]), dtype: .uint8, pool: pool, zeroed: false)
            XCTAssertNotEqual(ObjectIdentifier(decoy.storage), firstID)
            try pub.publish(try filled(2, pool, 2))
            let second = try XCTUnwrap(sub.tryReceive())
            XCTAssertEqual(ObjectIdentifier(second.asTensor().storage), firstID, "the dropped sample's storage object was reused")
            XCTAssertTrue(allBytes(second, equal: 2))

            // A kept view: later samples never take its object, and its slot and bytes stay.
            try pub.publish(try filled(3, pool, 3))
            let kept = try XCTUnwrap(sub.tryReceive())
            let keptSlot = kept.asTensor().storage.slot
            for i in 0..<40 {
                try pub.publish(try filled(UInt8(10 + i), pool, UInt64(10 + i)))
                let m = try XCTUnwrap(sub.tryReceive())
                XCTAssertFalse(m.asTensor().storage === kept.asTensor().storage)
                XCTAssertFalse(m.asTensor().storage === second.asTensor().storage)
                XCTAssertTrue(allBytes(m, equal: UInt8(10 + i)), "sample \(i)")
                XCTAssertEqual(m.timestampNs, UInt64(10 + i))
            }
            XCTAssertEqual(kept.asTensor().storage.slot, keptSlot)
            XCTAssertTrue(allBytes(kept, equal: 3), "the kept view's bytes are intact")
            XCTAssertTrue(allBytes(second, equal: 2))
            XCTAssertEqual(pool.referenceCount(slot: keptSlot), 1, "the kept view holds its slot (the ring moved on)")

            // The last received sample dropped: the subscriber hands its slot back when it
            // next finds nothing to receive, leaving only the ring's reference.
            var last: Image? = try { try pub.publish(try filled(99, pool, 99)); return try XCTUnwrap(sub.tryReceive()) }()
            let lastSlot = last!.asTensor().storage.slot
            XCTAssertEqual(pool.referenceCount(slot: lastSlot), 2, "the ring's and the view's")
            last = nil
            XCTAssertNil(sub.tryReceive())
            XCTAssertEqual(pool.referenceCount(slot: lastSlot), 1, "only the ring's reference is left")
            withExtendedLifetime((kept, second, decoy, pub)) {}
        }
        XCTAssertEqual(pool.slotsInUse, 0, "every slot reference returned once views and endpoints are gone")
        try pool.close()
    }

    /// A sample re-published into the entry that already holds its slot keeps that entry's
    /// reference (no retain, no release), and a subscriber receiving the same allocation
    /// again shares the reference its cache holds: the counts stay exact throughout, a new
    /// sample in between is counted as usual, and everything goes back at the end.
    func testRepublishedSamplesKeepExactReferenceCounts() throws {
        let tag = "t\(getpid())-republish"
        let pool = try Pool.open(name: "\(tag)-pool", configuration: PoolConfiguration(classes: [.init(slotSize: 4096, slotCount: 16)], processCapacity: 4))
        do {
            let pub = try Publisher<Image>(topic: "/\(tag)/cam", capacity: 4)
            let sub = try Subscriber<Image>(topic: "/\(tag)/cam", waitPolicy: .spin)
            let kept = try filled(7, pool, 1)
            let slot = kept.asTensor().storage.slot
            var previous: Image?
            for round in 1...10 {
                try pub.publish(kept)
                let m = try XCTUnwrap(sub.tryReceive())
                XCTAssertEqual(m.asTensor().storage.slot, slot)
                XCTAssertTrue(allBytes(m, equal: 7))
                if let previous {
                    XCTAssertTrue(m.asTensor().storage === previous.asTensor().storage, "round \(round): the held reference is shared")
                }
                // the caller's, one per ring entry holding it (at most the capacity), the subscriber's
                XCTAssertEqual(pool.referenceCount(slot: slot), UInt32(1 + min(round, 4) + 1), "round \(round)")
                previous = m
            }
            previous = nil
            // Another sample takes one entry: the reference that entry held on `kept` goes.
            let other = try filled(9, pool, 2)
            try pub.publish(other)
            let o = try XCTUnwrap(sub.tryReceive())
            XCTAssertTrue(allBytes(o, equal: 9))
            XCTAssertEqual(pool.referenceCount(slot: other.asTensor().storage.slot), 3, "caller, entry, subscriber")
            XCTAssertNil(sub.tryReceive())  // (idle: the subscriber hands back what no view holds)
            XCTAssertEqual(pool.referenceCount(slot: slot), UInt32(1 + 3), "the caller's and three entries'")
            // Four more: three land on entries that still hold `kept` (kept, no change), one on
            // the entry `other` took (a new reference, and `other`'s entry reference goes).
            for _ in 0..<4 { try pub.publish(kept) }
            XCTAssertEqual(pool.referenceCount(slot: slot), UInt32(1 + 4))
            XCTAssertEqual(pool.referenceCount(slot: other.asTensor().storage.slot), 2, "the caller's and the received view's")
            withExtendedLifetime((o, other, pub, sub)) {}
        }
        XCTAssertEqual(pool.slotsInUse, 0, "every slot reference returned once samples and endpoints are gone")
        try pool.close()
    }
}
