import Atomics
import Foundation
import HorusMemory
import HorusTestSupport
import XCTest

final class PoolTests: XCTestCase {
    func testSizeClassesFitSmallAndLargeWithoutWaste() throws {
        let pool = try Pool.open(name: uniquePoolName("classes"))
        let small = try SlotStorage.allocate(byteCount: 64, in: pool)
        let big = try SlotStorage.allocate(byteCount: 1920 * 1080 * 3, in: pool)
        XCTAssertEqual(pool.capacity(ofSlot: small.slot), 256)
        XCTAssertEqual(pool.capacity(ofSlot: big.slot), 8 << 20)
        XCTAssertEqual(pool.slotsInUse, 2)
    }

    func testFreeReturnsSlotAndBumpsGeneration() throws {
        let pool = try smallPool("gen")
        var a: Pool.Allocation? = try pool.allocateSlot(byteCount: 10)
        let first = a!
        XCTAssertEqual(pool.referenceCount(slot: first.slot), 1)
        pool.release(slot: first.slot)
        a = nil
        XCTAssertEqual(pool.referenceCount(slot: first.slot), 0)
        XCTAssertEqual(pool.slotsInUse, 0)
        // LIFO free list: the same slot comes back with a new generation.
        let second = try pool.allocateSlot(byteCount: 10)
        XCTAssertEqual(second.slot, first.slot)
        XCTAssertNotEqual(second.generation, first.generation)
        XCTAssertFalse(pool.tryRetain(slot: first.slot, generation: first.generation), "stale generation must be refused")
        XCTAssertTrue(pool.tryRetain(slot: second.slot, generation: second.generation))
        XCTAssertEqual(pool.referenceCount(slot: second.slot), 2)
        pool.release(slot: second.slot)
        pool.release(slot: second.slot)
        XCTAssertFalse(pool.tryRetain(slot: second.slot, generation: second.generation), "freed slot must be refused")
    }

    func testExhaustionErrorNamesPoolSizeAndUsage() throws {
        let pool = try smallPool("exhaust", classes: [(256, 3), (512, 1)])
        var held = [SlotStorage]()
        for _ in 0..<4 { held.append(try SlotStorage.allocate(byteCount: 100, in: pool)) }  // 3 + 1 fallback
        XCTAssertEqual(pool.capacity(ofSlot: held[3].slot), 512, "falls back to the next class")
        XCTAssertThrowsError(try SlotStorage.allocate(byteCount: 100, in: pool)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(pool.name), text)
            XCTAssertTrue(text.contains("100 bytes"), text)
            XCTAssertTrue(text.contains("3 of 3 slots in use"), text)
        }
        XCTAssertThrowsError(try SlotStorage.allocate(byteCount: 4096, in: pool)) { error in
            XCTAssertTrue("\(error)".contains("larger than its largest slot"), "\(error)")
        }
        held.removeAll()
        XCTAssertEqual(pool.slotsInUse, 0)
        XCTAssertNoThrow(try SlotStorage.allocate(byteCount: 100, in: pool))
    }

    func testInvalidConfigurationIsRefused() {
        XCTAssertThrowsError(try Pool.open(name: uniquePoolName("badcfg"),
                                           configuration: .init(classes: [.init(slotSize: 100, slotCount: 4)]))) {
            XCTAssertTrue("\($0)".contains("multiple of 64"), "\($0)")
        }
    }

    func testConcurrentAllocationNeverHandsOutASlotTwice() throws {
        let pool = try smallPool("threads", classes: [(256, 64)])
        let owners = UnsafeAtomic<Int>.create(0)
        defer { owners.destroy() }
        let flags = UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>.allocate(capacity: 64)
        flags.initialize(repeating: .init(0), count: 64)
        defer { flags.deallocate() }
        let doubles = UnsafeAtomic<Int>.create(0)
        defer { doubles.destroy() }
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<20000 {
                guard let a = try? pool.allocateSlot(byteCount: 64) else { continue }
                let f = UnsafeAtomic<Int>(at: flags + Int(a.slot))
                if f.loadThenWrappingIncrement(ordering: .relaxed) != 0 { doubles.wrappingIncrement(ordering: .relaxed) }
                owners.wrappingIncrement(ordering: .relaxed)
                f.wrappingDecrement(ordering: .relaxed)
                pool.release(slot: a.slot)
            }
        }
        XCTAssertEqual(doubles.load(ordering: .relaxed), 0)
        XCTAssertGreaterThan(owners.load(ordering: .relaxed), 1000)
        XCTAssertEqual(pool.slotsInUse, 0)
    }
}
