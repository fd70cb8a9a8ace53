import Foundation
import XCTest
@testable import HorusRecord

final class MCAPRoundTripTests: XCTestCase {
    func testRoundTripEveryFieldAndByte() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("rt.mcap").path
        let sample = try MCAPTestSupport.writeSample(path: path)

        let r = try MCAPReader(path: path)
        XCTAssertFalse(r.isTruncated)
        XCTAssertTrue(r.hasSummary)
        XCTAssertEqual(r.profile, "horus")
        XCTAssertEqual(r.library, "horus")
        XCTAssertEqual(r.schemas.keys.sorted(), [1, 2, 3])
        for s in sample.schemas { XCTAssertEqual(r.schemas[s.id], s) }
        XCTAssertEqual(r.channels.keys.sorted(), [1, 2, 3, 4])
        for c in sample.channels { XCTAssertEqual(r.channels[c.id], c) }

        let got = try r.readAllMessages()
        XCTAssertEqual(got.count, sample.messages.count)
        for (i, (a, b)) in zip(got, sample.messages).enumerated() where a != b {
            XCTFail("message \(i) differs: \(a.channelID)/\(a.sequence)/\(a.logTime) len \(a.data.count) vs \(b.channelID)/\(b.sequence)/\(b.logTime) len \(b.data.count)")
            break
        }
        let s = r.statistics
        XCTAssertEqual(s.messageCount, UInt64(sample.messages.count))
        XCTAssertEqual(s.schemaCount, 3)
        XCTAssertEqual(s.channelCount, 4)
        XCTAssertEqual(s.messageStartTime, sample.messages.first!.logTime)
        XCTAssertEqual(s.messageEndTime, sample.messages.last!.logTime)
        for c in sample.channels {
            XCTAssertEqual(s.channelMessageCounts[c.id], UInt64(sample.messages.filter { $0.channelID == c.id }.count))
        }
        XCTAssertGreaterThan(s.chunkCount, 20, "small chunkSize must produce many chunks")
        XCTAssertEqual(Int(s.chunkCount), r.chunkIndexes.count)
    }

    /// Checks the on-disk layout against the spec: chunk/message-index/summary/summary-offset/footer positions.
    func testIndexesAndSummaryLayout() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("layout.mcap").path
        let sample = try MCAPTestSupport.writeSample(path: path, count: 800, chunkSize: 2048)
        let b = try MCAPTestSupport.readBytes(path)
        let r = try MCAPReader(path: path)

        XCTAssertEqual(Array(b[0..<8]), MCAPMagic.bytes)
        XCTAssertEqual(Array(b[(b.count - 8)...]), MCAPMagic.bytes)
        let footer = b.count - 8 - 29
        XCTAssertEqual(b[footer], 0x02)
        XCTAssertEqual(MCAPTestSupport.u64(b, footer + 1), 20)
        let summaryStart = Int(MCAPTestSupport.u64(b, footer + 9))
        let summaryOffsetStart = Int(MCAPTestSupport.u64(b, footer + 17))
        XCTAssertEqual(MCAPTestSupport.u32(b, footer + 25),
                       MCAPCRC32.checksum(Array(b[summaryStart..<(footer + 25)])))
        // Data End (13 bytes) immediately precedes the summary.
        XCTAssertEqual(b[summaryStart - 13], 0x0F)
        XCTAssertEqual(MCAPTestSupport.u64(b, summaryStart - 12), 4)
        XCTAssertEqual(b[summaryOffsetStart], 0x0E)

        // Summary offsets: one per group, each group starts with its opcode and groups tile the summary.
        XCTAssertEqual(r.summaryOffsets.map(\.groupOpcode), [0x03, 0x04, 0x0B, 0x08])
        var expectedStart = UInt64(summaryStart)
        for o in r.summaryOffsets {
            XCTAssertEqual(o.groupStart, expectedStart)
            XCTAssertEqual(b[Int(o.groupStart)], o.groupOpcode)
            expectedStart += o.groupLength
        }
        XCTAssertEqual(expectedStart, UInt64(summaryOffsetStart))

        // Every chunk index points at a Chunk whose message indexes cover exactly the messages of the file.
        var indexed: [(UInt64, UInt64, UInt16)] = []
        var previousEnd = 0
        for ci in r.chunkIndexes {
            let at = Int(ci.chunkStartOffset)
            XCTAssertGreaterThanOrEqual(at, previousEnd)
            XCTAssertEqual(b[at], 0x06)
            XCTAssertEqual(MCAPTestSupport.u64(b, at + 1) + 9, ci.chunkLength)
            XCTAssertEqual(ci.compression, "")
            XCTAssertEqual(ci.compressedSize, ci.uncompressedSize)
            // Chunk CRC is computed (not 0) and correct.
            let crc = MCAPTestSupport.u32(b, at + 33)
            XCTAssertNotEqual(crc, 0)
            let records = Array(b[(at + 49)..<(at + Int(ci.chunkLength))])
            XCTAssertEqual(crc, MCAPCRC32.checksum(records))
            var indexBytes: UInt64 = 0
            for (channel, off) in ci.messageIndexOffsets {
                let o = Int(off)
                XCTAssertEqual(b[o], 0x07)
                XCTAssertEqual(MCAPTestSupport.u16(b, o + 9), channel)
                let arrayLength = Int(MCAPTestSupport.u32(b, o + 11))
                XCTAssertEqual(arrayLength % 16, 0)
                for e in stride(from: o + 15, to: o + 15 + arrayLength, by: 16) {
                    let time = MCAPTestSupport.u64(b, e)
                    let recordOffset = Int(MCAPTestSupport.u64(b, e + 8))
                    // The offset is relative to the chunk's records and lands on a Message with that time.
                    XCTAssertEqual(records[recordOffset], 0x05)
                    XCTAssertEqual(MCAPTestSupport.u64(records, recordOffset + 9 + 6), time)
                    XCTAssertEqual(MCAPTestSupport.u16(records, recordOffset + 9), channel)
                    XCTAssertTrue(time >= ci.messageStartTime && time <= ci.messageEndTime)
                    indexed.append((time, UInt64(recordOffset), channel))
                }
                indexBytes += 9 + MCAPTestSupport.u64(b, o + 1)
            }
            XCTAssertEqual(indexBytes, ci.messageIndexLength)
            XCTAssertEqual(Int(ci.chunkStartOffset + ci.chunkLength + ci.messageIndexLength) ,
                           Int(ci.messageIndexOffsets.values.min()!) + Int(ci.messageIndexLength))
            previousEnd = at + Int(ci.chunkLength + ci.messageIndexLength)
        }
        XCTAssertEqual(indexed.count, sample.messages.count)
        XCTAssertEqual(Set(indexed.map(\.0)), Set(sample.messages.map(\.logTime)))
    }

    func testOutOfOrderLogTimesAreSortedWithinAChunk() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("order.mcap").path
        let w = try MCAPWriter(path: path)
        let ch = w.addChannel(topic: "/t", schemaID: 0, messageEncoding: "x-raw")
        for (i, t) in [UInt64(50), 10, 30, 10, 20].enumerated() {
            try w.write(channel: ch, sequence: UInt32(i), logTime: t, publishTime: t, data: [UInt8(i)])
        }
        try w.close()
        let r = try MCAPReader(path: path)
        let got = try r.readAllMessages()
        XCTAssertEqual(got.map(\.logTime), [10, 10, 20, 30, 50])
        XCTAssertEqual(got.map(\.sequence), [1, 3, 4, 2, 0], "ties keep file order")
        XCTAssertEqual(r.statistics.messageStartTime, 10)
        XCTAssertEqual(r.statistics.messageEndTime, 50)
        XCTAssertEqual(r.chunkIndexes.first?.messageStartTime, 10)
        XCTAssertEqual(r.chunkIndexes.first?.messageEndTime, 50)
    }

    func testEmptyFileAndUnusedChannel() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty.mcap").path
        let w = try MCAPWriter(path: path)
        let s = w.addSchema(name: "S", encoding: "jsonschema", data: Array("{}".utf8))
        w.addChannel(topic: "/unused", schemaID: s, messageEncoding: "json")
        try w.close()
        let r = try MCAPReader(path: path)
        XCTAssertFalse(r.isTruncated)
        XCTAssertEqual(try r.readAllMessages().count, 0)
        XCTAssertEqual(r.statistics.messageCount, 0)
        XCTAssertEqual(r.statistics.messageStartTime, 0)
        XCTAssertEqual(r.channels[1]?.topic, "/unused")
        XCTAssertEqual(r.schemas[1]?.name, "S")
        XCTAssertThrowsError(try w.write(channel: 1, sequence: 0, logTime: 0, publishTime: 0, data: [1]))
    }

    func testLargeMessageBiggerThanChunkSize() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.mcap").path
        let w = try MCAPWriter(path: path, chunkSize: 1024)
        let ch = w.addChannel(topic: "/big", schemaID: 0, messageEncoding: "x-raw")
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try w.write(channel: ch, sequence: 1, logTime: 1, publishTime: 1, data: [1, 2, 3])
        try w.write(channel: ch, sequence: 2, logTime: 2, publishTime: 2, data: big)
        try w.write(channel: ch, sequence: 3, logTime: 3, publishTime: 3, data: [4])
        try w.close()
        let got = try MCAPReader(path: path).readAllMessages()
        XCTAssertEqual(got.map(\.data), [[1, 2, 3], big, [4]])
    }
}
