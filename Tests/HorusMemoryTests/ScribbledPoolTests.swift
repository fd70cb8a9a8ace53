import CHorus
@testable import HorusMemory
import HorusTestSupport
import XCTest

/// Random bytes over a pool's free-list metadata (what a broken or hostile process of the
/// namespace can write): allocation refuses with a counted, named error, in this process
/// and in another one, and never forms a pointer from an unchecked index.
final class ScribbledPoolTests: XCTestCase {
    /// Overwrites every size class's free-list head with seeded random words.
    private func scribbleFreeHeads(_ pool: Pool, seed: UInt64) {
        var x = seed
        for k in 0..<pool.configuration.classes.count {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407  // Knuth's MMIX LCG
            pool.freeHead(k).store(x | 0x8000_0000, ordering: .relaxed)  // index >= 2^31: never a slot
        }
    }

    func testRandomFreeListHeadsGiveADamagedErrorNotACrash() throws {
        for seed: UInt64 in [1, 2, 3] {
            let pool = try smallPool("scribble-\(seed)")
            scribbleFreeHeads(pool, seed: seed)
            XCTAssertThrowsError(try pool.allocateSlot(byteCount: 100), "seed \(seed)") { error in
                guard case let PoolError.damaged(name, reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(name, pool.name)
                XCTAssertTrue(reason.contains("free list of size class 256 B"), reason)
            }
            XCTAssertEqual(pool.damagedAllocationCount, 1, "seed \(seed)")
            XCTAssertEqual(pool.slotsInUse, 0, "seed \(seed): nothing was claimed")
        }
    }

    func testALinkOutsideTheClassIsRefusedWhenItReachesTheHead() throws {
        let pool = try smallPool("scribble-link", classes: [(256, 4), (4096, 2)])
        // Slot 0 (the head of class 0) links to slot 5, a slot of class 1.
        pool.nextAtomic(0).store(6, ordering: .relaxed)
        let first = try pool.allocateSlot(byteCount: 10)
        XCTAssertEqual(first.slot, 0)
        // Class 0's head now names slot 5: refused there, served by class 1 instead.
        let second = try pool.allocateSlot(byteCount: 10)
        XCTAssertEqual(pool.capacity(ofSlot: second.slot), 4096, "a larger class serves the request")
        XCTAssertEqual(pool.damagedAllocationCount, 0, "served: nothing refused")
        _ = try pool.allocateSlot(byteCount: 10)
        XCTAssertThrowsError(try pool.allocateSlot(byteCount: 10)) { error in
            XCTAssertTrue("\(error)".contains("names slot index 5, outside the class's slots 0..<4"), "\(error)")
        }
        XCTAssertEqual(pool.damagedAllocationCount, 1)
    }

    func testAnotherProcessAllocatingFromTheScribbledPoolExitsWithTheError() throws {
        let pool = try smallPool("scribble-child")
        scribbleFreeHeads(pool, seed: 7)
        let r = try runCommand([helperExecutable("horus-testproc").path, "write-image", pool.name, "4", "4"])
        XCTAssertEqual(r.status, 2, "the child exits with its error (not a signal): \(r.err)")
        XCTAssertTrue(r.err.contains("pool '\(pool.name)': shared metadata damaged: the free list of size class 256 B"), r.err)
    }
}
