import CHorus
import HorusMemory
import HorusTestSupport
import XCTest

final class DLPackTests: XCTestCase {
    func testLegacyExportFieldsAndDeleterReleasesOnce() throws {
        let pool = try smallPool("dlpack")
        var img: Image? = try Image(height: 4, width: 5, encoding: .rgb8, pool: pool)
        let view = img!.asTensor().slice(axis: 1, 1..<3)
        let slot = view.storage.slot
        XCTAssertEqual(pool.referenceCount(slot: slot), 1)
        let m = view.exportDLPack()
        XCTAssertEqual(pool.referenceCount(slot: slot), 2, "the export holds its own reference")
        let t = m.pointee.dl_tensor
        XCTAssertEqual(t.device.device_type, kDLCPU)
        XCTAssertEqual(t.ndim, 3)
        XCTAssertEqual(t.dtype.code, UInt8(kDLUInt.rawValue))
        XCTAssertEqual(t.dtype.bits, 8)
        XCTAssertEqual(t.dtype.lanes, 1)
        XCTAssertEqual((0..<3).map { t.shape[$0] }, [4, 2, 3])
        XCTAssertEqual((0..<3).map { t.strides[$0] }, [15, 3, 1], "strides in elements")
        XCTAssertEqual(t.byte_offset, 3)
        XCTAssertEqual(t.data, UnsafeMutableRawPointer(view.storage.base))
        img = nil
        XCTAssertEqual(pool.referenceCount(slot: slot), 2, "view + export")
        m.pointee.deleter(m)
        XCTAssertEqual(pool.referenceCount(slot: slot), 1, "deleter released exactly one reference")
        _ = view
    }

    func testVersionedExportKeepsDataAliveAfterSourceDropped() throws {
        let pool = try smallPool("dlpackv")
        var cloud: PointCloud? = try PointCloud(format: .xyz, copying: [1, 2, 3], pool: pool)
        let slot = cloud!.asTensor().storage.slot
        let m = cloud!.exportDLPackVersioned()
        cloud = nil
        XCTAssertEqual(pool.referenceCount(slot: slot), 1)
        XCTAssertEqual(m.pointee.version.major, 1)
        XCTAssertEqual(m.pointee.flags, 0)
        let data = m.pointee.dl_tensor.data!.assumingMemoryBound(to: Float.self)
        XCTAssertEqual(data[2], 3)
        XCTAssertEqual(m.pointee.dl_tensor.dtype.code, UInt8(kDLFloat.rawValue))
        m.pointee.deleter(m)
        XCTAssertEqual(pool.referenceCount(slot: slot), 0)
        XCTAssertEqual(pool.slotsInUse, 0)
    }

    func testReadOnlySampleExportsReadOnlyFlag() throws {
        let pool = try smallPool("dlpackro")
        let t = try Tensor(shape: [3], pool: pool)
        let received = try Tensor(descriptor: t.descriptor(), readOnly: true)
        let m = received.exportDLPackVersioned()
        XCTAssertEqual(m.pointee.flags & UInt64(DLPACK_FLAG_BITMASK_READ_ONLY), UInt64(DLPACK_FLAG_BITMASK_READ_ONLY))
        m.pointee.deleter(m)
    }
}
