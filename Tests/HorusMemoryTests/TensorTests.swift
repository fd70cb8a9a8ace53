import HorusMemory
import HorusTestSupport
import XCTest

final class TensorTests: XCTestCase {
    func testViewsShareMemoryAndKeepSlotAlive() throws {
        let pool = try smallPool("views")
        var t: Tensor? = try Tensor(copying: (0..<12).map(Float.init), shape: [3, 4], pool: pool)
        let row = t![1]
        let col = t!.slice(axis: 1, 2..<3)
        XCTAssertEqual(row.shape, [4])
        XCTAssertEqual(row.toArray(Float.self), [4, 5, 6, 7])
        XCTAssertEqual(col.toArray(Float.self), [2, 6, 10])
        row[element: 0] = 100
        XCTAssertEqual(t![element: 1, 0], 100, "a write through a view is seen by the source")
        XCTAssertEqual(row.storage.slot, t!.storage.slot)
        let slot = t!.storage.slot
        t = nil
        XCTAssertEqual(pool.referenceCount(slot: slot), 1, "the views still hold the slot")
        XCTAssertEqual(col[element: 0, 0], 2)
        _ = row
    }

    func testAllDtypesRoundTrip() throws {
        let pool = try smallPool("dtypes")
        for d in DType.allCases {
            let t = try Tensor(shape: [2, 2], dtype: d, pool: pool)
            t[element: 1, 1] = 1
            XCTAssertEqual(t[element: 1, 1], 1, "\(d)")
            XCTAssertEqual(t[element: 0, 0], 0, "\(d)")
            XCTAssertEqual(t.nbytes, 4 * d.size)
        }
        XCTAssertEqual(DType(name: "f32"), .float32)
        XCTAssertEqual(DType(name: "uint16"), .uint16)
    }

    func testArithmeticReturnsNewPoolTensorAndInPlaceWritesSlot() throws {
        let pool = try smallPool("arith")
        var t = try Tensor(copying: [1, 2, 3, 4] as [Float], shape: [2, 2], pool: pool)
        let u = try t + 10
        XCTAssertEqual(u.toArray(Float.self), [11, 12, 13, 14])
        XCTAssertNotEqual(u.storage.slot, t.storage.slot)
        XCTAssertEqual(try (t * t).toArray(Float.self), [1, 4, 9, 16])
        XCTAssertEqual(try (10 - t).toArray(Float.self), [9, 8, 7, 6])
        XCTAssertEqual(try (t / 2).toArray(Float.self), [0.5, 1, 1.5, 2])
        t += 1
        XCTAssertEqual(t.toArray(Float.self), [2, 3, 4, 5])
        t[0..<1] *= 10
        XCTAssertEqual(t.toArray(Float.self), [20, 30, 4, 5])
        let bytes = try Tensor(copying: [250, 10] as [UInt8], pool: pool)
        XCTAssertEqual(try (bytes + 10).toArray(UInt8.self), [4, 20], "uint8 wraps like NumPy")
        XCTAssertEqual(try (bytes / 4).dtype, .float32)
    }

    func testStridedViewsArithmetic() throws {
        let pool = try smallPool("strided")
        let t = try Tensor(copying: (0..<6).map(Float.init), shape: [2, 3], pool: pool)
        let tr = t.permuted([1, 0])
        XCTAssertFalse(tr.isContiguous)
        XCTAssertEqual(tr.toArray(Float.self), [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(try (tr + 1).toArray(Float.self), [1, 4, 2, 5, 3, 6])
        let every2 = t.reshaped([6]).slice(axis: 0, 0..<6, step: 2)
        XCTAssertEqual(every2.toArray(Float.self), [0, 2, 4])
    }

    func testImageTypeBehaviour() throws {
        let pool = try smallPool("image")
        let img = try Image(height: 4, width: 5, encoding: .rgb8, pool: pool)
        XCTAssertEqual(img.asTensor().shape, [4, 5, 3])
        img.setPixel(x: 2, y: 1, [10, 20, 30])
        XCTAssertEqual(img.pixel(x: 2, y: 1), [10, 20, 30])
        var t = img.asTensor()
        XCTAssertEqual(t.storage.slot, img.asTensor().storage.slot)
        t[0..<1] += 128
        XCTAssertEqual(img.pixel(x: 0, y: 0), [128, 128, 128], "as_tensor writes land in the image")
        let bright = try img + 50
        XCTAssertEqual(bright.shape, [4, 5, 3])
        XCTAssertEqual(bright[element: 1, 2, 0], 60)
        XCTAssertEqual(ImageEncoding(name: "bayer_rggb8"), .bayerRGGB8)
        let mono16 = try Image(height: 2, width: 2, encoding: .mono16, pool: pool)
        XCTAssertEqual(mono16.asTensor().dtype, .uint16)
        XCTAssertEqual(mono16.channels, 1)
    }

    func testPointCloudBehaviour() throws {
        let pool = try smallPool("cloud")
        let c = try PointCloud(format: .xyzi, copying: [1, 2, 3, 0.5, 4, 5, 6, 0.25], pool: pool)
        XCTAssertEqual(c.count, 2)
        XCTAssertEqual(c.asTensor().shape, [2, 4])
        XCTAssertEqual(c[1], .init(x: 4, y: 5, z: 6, intensity: 0.25))
        XCTAssertEqual(c[-1].x, 4)
        XCTAssertTrue(c.hasIntensity)
        XCTAssertFalse(c.hasColor)
        let rgbBits = Float(bitPattern: 0x00FF_8001)
        let rgb = try PointCloud(format: .xyzrgb, copying: [0, 0, 1, rgbBits], pool: pool)
        XCTAssertEqual(rgb[0].rgb, 0x00FF_8001)
        XCTAssertTrue(rgb.hasColor)
        XCTAssertTrue(try PointCloud(count: 10, pool: pool).isXYZ)
    }

    func testDepthImageReadsMetersWhateverTheStorage() throws {
        let pool = try smallPool("depth")
        let mm = try DepthImage(height: 2, width: 3, unit: .millimeters, pool: pool)
        mm.setDepth(x: 1, y: 0, meters: 1.5)
        XCTAssertEqual(mm.asTensor()[element: 0, 1], 1500)
        XCTAssertEqual(mm.depth(x: 1, y: 0), 1.5)
        XCTAssertEqual(mm.asTensor().shape, [2, 3])
        let m = try DepthImage(height: 2, width: 2, pool: pool)
        m.setDepth(x: 0, y: 0, meters: 2)
        m.setDepth(x: 1, y: 1, meters: 4)
        XCTAssertEqual(m.statistics(), .init(validCount: 2, min: 2, max: 4, mean: 3))
        XCTAssertTrue(m.isMeters)
        XCTAssertTrue(mm.isMillimeters)
    }
}
