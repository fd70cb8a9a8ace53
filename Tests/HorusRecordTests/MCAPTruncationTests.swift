import Foundation
import XCTest
@testable import HorusRecord

/// Simulates a recorder killed mid-write by cutting a finished file at many offsets.
final class MCAPTruncationTests: XCTestCase {
    func testTruncatedCopiesReadUpToLastCompleteChunkAndRecover() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("full.mcap").path
        let sample = try MCAPTestSupport.writeSample(path: path, count: 1500, chunkSize: 3000)
        let bytes = try MCAPTestSupport.readBytes(path)
        let full = try MCAPReader(path: path)
        let chunks = full.chunkIndexes
        XCTAssertGreaterThan(chunks.count, 10)
        let headerEnd = 8 + 9 + Int(MCAPTestSupport.u64(bytes, 9))

        var cuts: Set<Int> = [headerEnd, headerEnd + 1, headerEnd + 9, bytes.count - 1, bytes.count - 8, bytes.count - 30]
        for ci in chunks.prefix(6) {
            let start = Int(ci.chunkStartOffset), end = start + Int(ci.chunkLength)
            cuts.formUnion([start, start + 5, start + 9, start + 49, (start + end) / 2, end - 1, end, end + 3,
                            end + Int(ci.messageIndexLength)])
        }
        let last = chunks.last!
        let dataEnd = Int(last.chunkStartOffset + last.chunkLength + last.messageIndexLength)
        cuts.formUnion([dataEnd, dataEnd + 13, dataEnd + 40])
        for c in stride(from: headerEnd, to: bytes.count, by: 1999) { cuts.insert(c) }

        for cut in cuts.sorted() {
            let cutPath = dir.appendingPathComponent("cut-\(cut).mcap").path
            try MCAPTestSupport.writeBytes(Array(bytes[0..<cut]), to: cutPath)
            // Log times strictly increase in file order, so the complete chunks hold exactly this prefix.
            let completeEnd = chunks.filter { Int($0.chunkStartOffset + $0.chunkLength) <= cut }
                .map(\.messageEndTime).max()
            let expected = completeEnd.map { t in sample.messages.filter { $0.logTime <= t } } ?? []

            let r = try MCAPReader(path: cutPath)
            XCTAssertTrue(r.isTruncated, "cut \(cut)")
            XCTAssertFalse(r.hasSummary, "cut \(cut)")
            XCTAssertEqual(r.statistics.messageCount, UInt64(expected.count), "cut \(cut)")
            let got = try r.readAllMessages()
            XCTAssertEqual(got.count, expected.count, "cut \(cut)")
            XCTAssertTrue(got == expected, "cut \(cut): messages differ")
            if let t = r.truncation {
                XCTAssertLessThanOrEqual(t.offset, UInt64(cut), "cut \(cut)")
            }

            let fixedPath = dir.appendingPathComponent("fixed-\(cut).mcap").path
            let result = try MCAPRecovery.recover(input: cutPath, output: fixedPath, chunkSize: 3000)
            XCTAssertEqual(result.messageCount, UInt64(expected.count), "cut \(cut)")
            XCTAssertNotNil(result.inputTruncation)
            let fixed = try MCAPReader(path: fixedPath)
            XCTAssertFalse(fixed.isTruncated, "cut \(cut)")
            XCTAssertTrue(fixed.hasSummary, "cut \(cut)")
            XCTAssertEqual(fixed.statistics.messageCount, UInt64(expected.count))
            XCTAssertTrue(try fixed.readAllMessages() == expected, "cut \(cut): recovered messages differ")
            if !expected.isEmpty {
                // Channels used by the kept messages survive with their IDs, topics and schemas.
                for id in Set(expected.map(\.channelID)) {
                    XCTAssertEqual(fixed.channels[id], sample.channels[Int(id) - 1])
                    let schemaID = sample.channels[Int(id) - 1].schemaID
                    if schemaID != 0 { XCTAssertEqual(fixed.schemas[schemaID], sample.schemas[Int(schemaID) - 1]) }
                }
            }
            try? FileManager.default.removeItem(atPath: cutPath)
            try? FileManager.default.removeItem(atPath: fixedPath)
        }
    }

    func testCutInsideSummaryKeepsEveryMessage() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.mcap").path
        let sample = try MCAPTestSupport.writeSample(path: path, count: 300, chunkSize: 2000)
        let bytes = try MCAPTestSupport.readBytes(path)
        let cutPath = dir.appendingPathComponent("cut.mcap").path
        try MCAPTestSupport.writeBytes(Array(bytes[0..<(bytes.count - 20)]), to: cutPath)
        let r = try MCAPReader(path: cutPath)
        XCTAssertTrue(r.isTruncated)
        XCTAssertTrue(r.truncation!.reason.contains("Data End"), r.truncation!.reason)
        XCTAssertTrue(try r.readAllMessages() == sample.messages)
    }

    func testZeroFilledTailIsTreatedAsTruncation() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("z.mcap").path
        try MCAPTestSupport.writeSample(path: path, count: 300, chunkSize: 2000)
        let bytes = try MCAPTestSupport.readBytes(path)
        let r0 = try MCAPReader(path: path)
        let second = r0.chunkIndexes[1]
        // Power loss: the file size grew but the last chunk's blocks are zeros.
        var broken = Array(bytes[0..<Int(second.chunkStartOffset + second.chunkLength)])
        for i in Int(second.chunkStartOffset)..<broken.count { broken[i] = 0 }
        let cutPath = dir.appendingPathComponent("zero.mcap").path
        try MCAPTestSupport.writeBytes(broken, to: cutPath)
        let r = try MCAPReader(path: cutPath)
        XCTAssertEqual(r.truncation?.offset, second.chunkStartOffset)
        XCTAssertEqual(UInt64(try r.readAllMessages().count), r.statistics.messageCount)
        XCTAssertEqual(r.statistics.chunkCount, 1)

        // Zeros inside the chunk body (valid header and length) fail the CRC: also a clean stop, not a crash.
        var bodyZeroed = Array(bytes[0..<Int(second.chunkStartOffset + second.chunkLength)])
        for i in (Int(second.chunkStartOffset) + 60)..<bodyZeroed.count { bodyZeroed[i] = 0 }
        try MCAPTestSupport.writeBytes(bodyZeroed, to: cutPath)
        let r2 = try MCAPReader(path: cutPath)
        XCTAssertEqual(r2.truncation?.offset, second.chunkStartOffset)
        XCTAssertTrue(r2.truncation!.reason.contains("CRC"), r2.truncation!.reason)
        XCTAssertEqual(r2.statistics.chunkCount, 1)
    }
}

final class MCAPRecoveryGuardTests: XCTestCase {
    func testRecoverRefusesToOverwriteItsInput() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("same.mcap").path
        try MCAPTestSupport.writeSample(path: path, count: 50)
        let before = try MCAPTestSupport.readBytes(path)
        XCTAssertThrowsError(try MCAPRecovery.recover(input: path, output: dir.appendingPathComponent("./same.mcap").path))
        XCTAssertEqual(try MCAPTestSupport.readBytes(path), before)
    }
}
