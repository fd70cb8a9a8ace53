import Foundation
import XCTest
@testable import HorusRecord

/// A file is untrusted input: damaged files must produce an MCAPError naming the file and offset, never a crash.
final class MCAPCorruptionTests: XCTestCase {
    private func expectError(_ path: String, file: StaticString = #filePath, line: UInt = #line,
                             _ check: (MCAPError) -> Void = { _ in }) {
        do {
            let r = try MCAPReader(path: path)
            _ = try r.readAllMessages()
            XCTFail("expected an error", file: file, line: line)
        } catch let e as MCAPError {
            XCTAssertEqual(e.path, path, file: file, line: line)
            XCTAssertTrue(e.description.contains(path), file: file, line: line)
            XCTAssertTrue(e.description.contains("byte offset \(e.offset)"), file: file, line: line)
            check(e)
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    func testCorruptLengthsAndMagic() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ok.mcap").path
        try MCAPTestSupport.writeSample(path: path, count: 400, chunkSize: 2000)
        let good = try MCAPTestSupport.readBytes(path)
        let r = try MCAPReader(path: path)
        let chunk = Int(r.chunkIndexes[2].chunkStartOffset)
        let bad = dir.appendingPathComponent("bad.mcap").path

        func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }

        // Chunk record length far beyond the data section.
        var b = good
        put64(&b, chunk + 1, UInt64.max - 3)
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in
            XCTAssertEqual(e.offset, UInt64(chunk + 1))
            XCTAssertTrue(e.problem.contains("declares"), e.problem)
        }

        // Chunk records length (u64 prefix) larger than the record.
        b = good
        put64(&b, chunk + 41, 1 << 40)
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in
            XCTAssertEqual(e.offset, UInt64(chunk + 41))
            XCTAssertTrue(e.problem.contains("chunk records length"), e.problem)
        }

        // A message record length inside the chunk overrunning the chunk (CRC disabled to reach the parser).
        b = good
        for i in 0..<4 { b[chunk + 33 + i] = 0 }
        var inner = chunk + 49
        while b[inner] != 0x05 { inner += 9 + Int(MCAPTestSupport.u64(b, inner + 1)) }
        put64(&b, inner + 1, 1 << 20)
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in
            XCTAssertEqual(e.offset, UInt64(inner + 1))
            XCTAssertTrue(e.problem.contains("overrunning its chunk"), e.problem)
        }

        // A flipped payload byte is caught by the chunk CRC.
        b = good
        b[chunk + 49 + 100] ^= 0xFF
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in XCTAssertTrue(e.problem.contains("CRC"), e.problem) }

        // A schema name length in the summary that overruns the record (summary CRC zeroed so parsing is reached).
        b = good
        let footer = b.count - 37
        for i in 0..<4 { b[footer + 25 + i] = 0 }
        let summaryStart = Int(MCAPTestSupport.u64(b, footer + 9))
        XCTAssertEqual(b[summaryStart], 0x03)
        b[summaryStart + 11] = 0xFF; b[summaryStart + 12] = 0xFF; b[summaryStart + 13] = 0xFF; b[summaryStart + 14] = 0x7F
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in
            XCTAssertEqual(e.offset, UInt64(summaryStart + 11))
            XCTAssertTrue(e.problem.contains("schema name"), e.problem)
        }

        // Summary CRC mismatch.
        b = good
        b[summaryStart + 20] ^= 1
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in XCTAssertTrue(e.problem.contains("summary CRC"), e.problem) }

        // Footer summary_start pointing past the footer.
        b = good
        put64(&b, footer + 9, UInt64(b.count + 100))
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in XCTAssertEqual(e.offset, UInt64(footer + 9)) }

        // Bad magic, short files, wrong first record.
        b = good
        b[1] = UInt8(ascii: "X")
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in XCTAssertEqual(e.offset, 0) }
        try MCAPTestSupport.writeBytes(Array(good[0..<5]), to: bad)
        expectError(bad) { e in XCTAssertEqual(e.offset, 0) }
        try MCAPTestSupport.writeBytes([], to: bad)
        expectError(bad)
        b = good
        b[8] = 0x05
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in XCTAssertEqual(e.offset, 8) }
        b = good
        put64(&b, 9, 1 << 50)
        try MCAPTestSupport.writeBytes(b, to: bad)
        expectError(bad) { e in XCTAssertEqual(e.offset, 9) }
        expectError(dir.appendingPathComponent("missing.mcap").path)
    }

    /// Random damage anywhere in the file: reading either succeeds or throws MCAPError; it never traps.
    func testRandomDamageNeverCrashes() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ok.mcap").path
        try MCAPTestSupport.writeSample(path: path, count: 200, chunkSize: 1500)
        let good = try MCAPTestSupport.readBytes(path)
        let bad = dir.appendingPathComponent("fuzz.mcap").path
        var rng = MCAPTestSupport.XorShift(state: 12345)
        var errors = 0, successes = 0
        for iteration in 0..<400 {
            var b = good
            let edits = 1 + Int(rng.next() % 4)
            for _ in 0..<edits {
                let at = Int(rng.next() % UInt64(b.count))
                b[at] = iteration % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : 0xFF
            }
            if iteration % 5 == 0 { b = Array(b[0..<Int(rng.next() % UInt64(b.count))]) }
            try MCAPTestSupport.writeBytes(b, to: bad)
            do {
                let r = try MCAPReader(path: bad)
                _ = try r.readAllMessages()
                _ = MCAPInfo(reader: r).formattedTable()
                successes += 1
            } catch is MCAPError {
                errors += 1
            }
        }
        XCTAssertEqual(errors + successes, 400)
        XCTAssertGreaterThan(errors, 0)
    }
}
