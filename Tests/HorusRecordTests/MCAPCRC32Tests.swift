import XCTest
@testable import HorusRecord

final class MCAPCRC32Tests: XCTestCase {
    func testKnownVector() {
        XCTAssertEqual(MCAPCRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(MCAPCRC32.checksum([UInt8]()), 0)
    }

    /// The slicing-by-8 path must agree with a plain bitwise CRC for every length and alignment.
    func testMatchesBitwiseReference() {
        func reference(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
            }
            return ~c
        }
        var rng = SystemRandomNumberGenerator()
        let data = (0..<4200).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 79, 80, 127, 128, 129, 200, 255, 256, 1000, 4097] {
                let slice = data[start..<(start + length)]
                let fast = slice.withUnsafeBytes { MCAPCRC32.checksum($0) }
                XCTAssertEqual(fast, reference(slice), "start \(start) length \(length)")
                // Chained updates give the same result.
                let half = length / 2
                let a = data[start..<(start + half)].withUnsafeBytes { MCAPCRC32.update(0, $0) }
                let b = data[(start + half)..<(start + length)].withUnsafeBytes { MCAPCRC32.update(a, $0) }
                XCTAssertEqual(b, fast)
                // Copy + checksum in one pass: same CRC, same bytes.
                var copy = [UInt8](repeating: 0, count: length + 1)
                let c = slice.withUnsafeBytes { src in copy.withUnsafeMutableBytes { MCAPCRC32.copy(0, src, to: $0.baseAddress!) } }
                XCTAssertEqual(c, fast)
                XCTAssertEqual(Array(copy[0..<length]), Array(slice))
            }
        }
    }

    /// Large inputs (the folding path) against values from Python's zlib.crc32.
    func testLargeInputsMatchZlib() {
        let data = (0..<3_000_017).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 7)) }
        XCTAssertEqual(MCAPCRC32.checksum(data), 0x1493_7327)
        XCTAssertEqual(data[5..<1_000_005].withUnsafeBytes { MCAPCRC32.checksum($0) }, 0xA901_F61E)
    }
}
