import Foundation
import HorusMemory
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Real processes: horus-testproc attaches to the test's pool by name.
final class CrossProcessTests: XCTestCase {
    func testChildReadsParentImageBitExact() throws {
        let pool = try Pool.open(name: uniquePoolName("p2c"))
        let img = try Image(height: 480, width: 640, encoding: .rgb8, pool: pool, timestampNs: 9, frameID: "cam")
        let b = img.bytes
        for i in 0..<b.count { b[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 5) }
        img.setPixel(x: 1, y: 2, [7, 8, 9])
        let child = try ChildProcess("horus-testproc", ["read-image", pool.name, img.descriptor().hexString])
        XCTAssertEqual(child.value(after: "checksum"), "\(checksum(UnsafeRawBufferPointer(b)))")
        XCTAssertEqual(child.value(after: "pixel"), "7,8,9")
        XCTAssertEqual(child.value(after: "refcount"), "2", "the child holds its own reference")
        child.send("done")
        XCTAssertEqual(child.wait(), 0)
        XCTAssertEqual(pool.referenceCount(slot: img.asTensor().storage.slot), 1, "the child's reference was returned")
    }

    func testParentReadsChildImageAfterChildExits() throws {
        let pool = try Pool.open(name: uniquePoolName("c2p"))
        let child = try ChildProcess("horus-testproc", ["write-image", pool.name, "48", "64"])
        let sum = try XCTUnwrap(child.value(after: "checksum"))
        let desc = try XCTUnwrap(Descriptor(hex: XCTUnwrap(child.value(after: "desc"))))
        let img = try Image(descriptor: desc)
        XCTAssertEqual(pool.referenceCount(slot: desc.raw.slot), 2)
        child.send("done")
        XCTAssertEqual(child.value(after: ""), nil)
        XCTAssertEqual(child.wait(), 0)
        XCTAssertEqual(pool.referenceCount(slot: desc.raw.slot), 1, "refcount across processes: the child's is gone, ours stays")
        XCTAssertEqual("\(checksum(UnsafeRawBufferPointer(img.bytes)))", sum, "bit-exact after the writer exited")
        XCTAssertEqual(img.frameID, "child")
        XCTAssertEqual(img.timestampNs, 42)
    }

    func testSlotsOfKilledProcessAreReclaimedWithoutTouchingLiveHolders() throws {
        let pool = try smallPool("kill9")
        let mine = try Tensor(shape: [10], dtype: .uint8, pool: pool)
        let before = pool.slotsInUse
        let child = try ChildProcess("horus-testproc", ["hold", pool.name, "5", mine.descriptor().hexString])
        XCTAssertEqual(child.value(after: "ready"), "5 1")
        XCTAssertEqual(pool.slotsInUse, before + 5)
        XCTAssertEqual(pool.referenceCount(slot: mine.storage.slot), 2)
        XCTAssertEqual(pool.attachedProcessCount, 2)
        child.kill9()
        _ = child.wait()
        let returned = pool.reclaimDeadProcesses()
        XCTAssertEqual(returned, 6, "5 own slots + 1 retained reference")
        XCTAssertEqual(pool.slotsInUse, before, "the dead child's slots are back")
        XCTAssertEqual(pool.referenceCount(slot: mine.storage.slot), 1, "our own reference is untouched")
        mine[element: 0] = 5
        XCTAssertEqual(mine[element: 0], 5)
        XCTAssertEqual(pool.attachedProcessCount, 1)
    }
}
