import HorusMemory
import HorusTestSupport
import XCTest

/// Loans (`Tensor.loan`, `Image.loan`, `zeroed: false`): the slot's old bytes are kept,
/// the geometry is the requested one, and the zero-filling initializers stay zero-filling.
final class LoanTests: XCTestCase {
    private func dirty(_ pool: Pool, count: Int = 4) throws {
        for _ in 0..<count {
            let img = try Image(height: 32, width: 32, encoding: .rgb8, pool: pool)
            img.bytes.initializeMemory(as: UInt8.self, repeating: 0xA5)
        }
    }

    func testLoansKeepOldBytesAndInitializersZeroFill() throws {
        let pool = try smallPool("loan")
        try dirty(pool)
        let loans = try (0..<4).map { _ in try Image.loan(height: 32, width: 32, encoding: .rgb8, pool: pool) }
        XCTAssertEqual(loans[0].height, 32)
        XCTAssertEqual(loans[0].nbytes, 32 * 32 * 3)
        XCTAssertTrue(loans.contains { $0.bytes[0] == 0xA5 }, "a loan reuses a dirtied slot without clearing it")
        _ = loans
        try dirty(pool)
        for _ in 0..<4 {
            let img = try Image(height: 32, width: 32, encoding: .rgb8, pool: pool)
            XCTAssertTrue(img.bytes.allSatisfy { $0 == 0 }, "Image(height:width:) zero-fills")
        }
        try dirty(pool)
        for _ in 0..<4 {
            let t = try Tensor(shape: [32 * 32 * 3], dtype: .uint8, pool: pool)
            XCTAssertTrue(t.toArray(UInt8.self).allSatisfy { $0 == 0 }, "Tensor(shape:) zero-fills")
        }
    }

    func testTensorLoanAndUnzeroedMessageInits() throws {
        let pool = try smallPool("loan2")
        let t = try Tensor.loan(shape: [3, 5], dtype: .float64, pool: pool)
        XCTAssertEqual(t.shape, [3, 5])
        XCTAssertEqual(t.dtype, .float64)
        XCTAssertFalse(t.isReadOnly)
        let cloud = try PointCloud(count: 7, format: .xyzi, pool: pool, zeroed: false)
        XCTAssertEqual(cloud.asTensor().shape, [7, 4])
        let depth = try DepthImage(height: 4, width: 6, unit: .millimeters, pool: pool, zeroed: false)
        XCTAssertEqual(depth.asTensor().shape, [4, 6])
        XCTAssertEqual(depth.asTensor().dtype, .uint16)
    }
}
