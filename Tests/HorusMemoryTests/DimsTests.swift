import HorusMemory
import XCTest

/// Dims' element count and row-major strides, read straight from the inline storage.
final class DimsTests: XCTestCase {
    func testProductAndContiguousStrides() {
        XCTAssertEqual(Dims().product, 1, "a scalar has one element")
        XCTAssertEqual(Dims().contiguousStrides, Dims())
        XCTAssertEqual(Dims([1080, 1920, 3]).product, 6_220_800)
        XCTAssertEqual(Dims([1080, 1920, 3]).contiguousStrides, [5760, 3, 1])
        XCTAssertEqual(Dims([2, 3, 4, 5, 6, 7]).product, 5040)
        XCTAssertEqual(Dims([2, 3, 4, 5, 6, 7]).contiguousStrides, [2520, 840, 210, 42, 7, 1])
        // A zero extent empties the tensor but does not collapse the strides of the others.
        XCTAssertEqual(Dims([4, 0, 5]).product, 0)
        XCTAssertEqual(Dims([4, 0, 5]).contiguousStrides, [5, 5, 1])
        XCTAssertEqual(Dims([7]).contiguousStrides.count, 1)
    }
}
