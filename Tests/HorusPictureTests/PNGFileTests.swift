import Foundation
import HorusPicture
import XCTest

/// PNG files written with libpng read back identical, and failures name the path.
final class PNGFileTests: XCTestCase {
    func testRoundTripThroughLibpng() throws {
        var p = RGBPicture(width: 37, height: 11, fill: RGB(1, 2, 3))
        for x in 0..<37 { p[x, 5] = RGB(UInt8(x * 7), 255, UInt8(255 - x)) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("horus-png-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNGFile.write(p, to: path)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertLessThan(bytes.count, 37 * 11 * 3, "compressed")
        XCTAssertEqual(try PNGFile.read(path), p)
    }

    func testErrorsNameThePath() {
        XCTAssertThrowsError(try PNGFile.write(RGBPicture(width: 1, height: 1), to: "/nonexistent-dir/x.png")) {
            XCTAssertTrue("\($0)".contains("/nonexistent-dir/x.png"), "\($0)")
        }
        XCTAssertThrowsError(try PNGFile.read("/etc/hostname")) { XCTAssertTrue("\($0)".contains("/etc/hostname"), "\($0)") }
    }
}
