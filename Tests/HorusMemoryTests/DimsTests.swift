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

    /// One to three extents take a straight-line path; it must agree with the general
    /// loop (the strides of the same extents with a trailing 1, dropped again), zeros and
    /// ones included.
    func testTheShortStridePathsAgreeWithTheGeneralOne() {
        let values = [0, 1, 2, 3, 7, 640]
        for a in values {
            XCTAssertEqual(Dims([a]).contiguousStrides, [1])
            for b in values {
                XCTAssertEqual(Array(Dims([a, b]).contiguousStrides), Array(Dims([a, b, 1]).contiguousStrides.dropLast()), "[\(a), \(b)]")
                for c in values {
                    let general = Array(Dims([a, b, c, 1]).contiguousStrides.dropLast())
                    XCTAssertEqual(Array(Dims([a, b, c]).contiguousStrides), general, "[\(a), \(b), \(c)]")
                }
            }
        }
    }

    /// The two- and three-extent initializer (no array) is the array form, and the storage
    /// beyond the count stays zero (what a descriptor's unused extents are written from).
    func testTheInitializerWithoutAnArrayMatchesTheArrayForm() {
        XCTAssertEqual(Dims(480, 640, 3), Dims([480, 640, 3]))
        XCTAssertEqual(Dims(480, 640), Dims([480, 640]))
        XCTAssertEqual(Dims(480, 640).count, 2)
        var d = Dims([5, 6, 7])
        d.remove(at: 0)
        XCTAssertEqual(d, Dims(6, 7))
        XCTAssertTrue(Dims(1, 2, 3).allNonNegative)
        XCTAssertFalse(Dims(1, -2).allNonNegative)
    }
}
