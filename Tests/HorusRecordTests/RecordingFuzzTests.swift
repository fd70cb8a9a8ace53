import Foundation
import HorusGraph
import HorusNodes
import HorusTestSupport
import XCTest
@testable import HorusRecord
#if canImport(Glibc)
import Glibc
#endif

/// Damaged recordings, generated from written files with deterministic seeds: a flipped bit in each
/// chunk, a flipped bit in the summary, a truncated summary, a zeroed footer, damaged chunk lengths,
/// random bytes. Salvaging reads (`recover`, `info`, `replay`) must lose exactly the damaged chunk and
/// say so; nothing crashes, hangs or is lost silently.
final class RecordingFuzzTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = try! MCAPTestSupport.temporaryDirectory(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A written sample file, its bytes, its chunk indexes and every message it holds.
    struct Original {
        var path: String
        var bytes: [UInt8]
        var chunks: [MCAPChunkIndex]
        var messages: [MCAPMessage]
        var offsets: [UInt64]
        var dataEnd: Int

        /// Messages whose record lies in chunk `i`.
        func inChunk(_ i: Int) -> Set<Int> {
            let c = chunks[i]
            return Set(offsets.indices.filter { offsets[$0] >= c.chunkStartOffset && offsets[$0] < c.chunkStartOffset + c.chunkLength })
        }
    }

    func original(count: Int = 1500, chunkSize: Int = 4096) throws -> Original {
        let p = path("original.mcap")
        try MCAPTestSupport.writeSample(path: p, count: count, chunkSize: chunkSize, seed: 0x5EED_0017)
        let r = try MCAPReader(path: p)
        var messages: [MCAPMessage] = [], offsets: [UInt64] = []
        try r.forEachMessage { messages.append(MCAPMessage($0)); offsets.append($0.recordOffset) }
        let bytes = try MCAPTestSupport.readBytes(p)
        let last = try XCTUnwrap(r.chunkIndexes.last)
        // Data End follows the last chunk's Message Index records.
        var dataEnd = Int(last.chunkStartOffset + last.chunkLength)
        while bytes[dataEnd] == MCAPOpcode.messageIndex.rawValue { dataEnd += 9 + Int(MCAPTestSupport.u64(bytes, dataEnd + 1)) }
        XCTAssertEqual(bytes[dataEnd], MCAPOpcode.dataEnd.rawValue)
        return Original(path: p, bytes: bytes, chunks: r.chunkIndexes, messages: messages, offsets: offsets, dataEnd: dataEnd)
    }

    /// Recovers `bytes` and checks the output holds exactly the original messages except `lost`, in order.
    @discardableResult
    func recover(_ bytes: [UInt8], _ name: String, expectLost lost: Set<Int>, _ o: Original,
                 file: StaticString = #filePath, line: UInt = #line) throws -> MCAPRecovery.Result {
        let bad = path(name + ".mcap"), out = path(name + ".recovered.mcap")
        try MCAPTestSupport.writeBytes(bytes, to: bad)
        let r = try MCAPRecovery.recover(input: bad, output: out)
        let expected = o.messages.indices.filter { !lost.contains($0) }.map { o.messages[$0] }
        let got = try MCAPReader(path: out).readAllMessages()
        XCTAssertEqual(r.messageCount, UInt64(expected.count), name, file: file, line: line)
        XCTAssertEqual(got.count, expected.count, name, file: file, line: line)
        XCTAssertTrue(got == expected, "\(name): recovered messages differ from the intact ones", file: file, line: line)
        return r
    }

    // MARK: Chunks

    func testABitFlippedInAnyChunkLosesExactlyThatChunk() throws {
        let o = try original()
        XCTAssertGreaterThan(o.chunks.count, 40)
        var rng = MCAPTestSupport.XorShift(state: 0xB17F_11B5)
        for (i, c) in o.chunks.enumerated() {
            var b = o.bytes
            // Anywhere in the chunk's records (after its 49-byte prefix).
            let recordsLength = Int(c.chunkLength) - 49
            let at = Int(c.chunkStartOffset) + 49 + Int(rng.next() % UInt64(recordsLength))
            b[at] ^= UInt8(1 << (rng.next() % 8))
            let lost = o.inChunk(i)
            let r = try recover(b, "flip\(i)", expectLost: lost, o)
            XCTAssertEqual(r.skipped.count, 1, "chunk \(i)")
            XCTAssertEqual(r.skipped.first?.chunk, i)
            XCTAssertEqual(r.skipped.first?.offset, c.chunkStartOffset)
            XCTAssertEqual(r.skipped.first?.length, c.chunkLength)
            XCTAssertEqual(r.skipped.first?.messagesLost, UInt64(lost.count), "chunk \(i)")
            XCTAssertTrue(r.skipped.first?.problem.contains("chunk CRC mismatch") ?? false, "\(r.skipped)")
            XCTAssertEqual(r.messagesLost, UInt64(lost.count))
            XCTAssertEqual(r.inputChunkCount, UInt32(o.chunks.count - 1))
            XCTAssertNil(r.summaryDamage)
        }
    }

    func testDamagedChunkLengthsResynchroniseOnTheChunkIndex() throws {
        let o = try original()
        func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for k in 0..<8 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }
        // Chunk 3's length grown by 2 KiB (still fits the file: would swallow part of chunk 4), chunk 7's beyond the file.
        var b = o.bytes
        put64(&b, Int(o.chunks[3].chunkStartOffset) + 1, MCAPTestSupport.u64(b, Int(o.chunks[3].chunkStartOffset) + 1) + 2048)
        put64(&b, Int(o.chunks[7].chunkStartOffset) + 1, 1 << 40)
        // Chunk 11's opcode turned into garbage.
        b[Int(o.chunks[11].chunkStartOffset)] = 0xEE
        let lost = o.inChunk(3).union(o.inChunk(7)).union(o.inChunk(11))
        let r = try recover(b, "lengths", expectLost: lost, o)
        XCTAssertEqual(r.skipped.map(\.chunk), [3, 7, 11], "\(r.skipped)")
        XCTAssertEqual(r.skipped.map(\.offset), [3, 7, 11].map { o.chunks[$0].chunkStartOffset })
        XCTAssertEqual(r.skipped.map(\.messagesLost), [3, 7, 11].map { UInt64(o.inChunk($0).count) })
        XCTAssertTrue(r.skipped[0].problem.contains("chunk record length exceeds its fields and records by 2048 bytes"), r.skipped[0].problem)
        XCTAssertTrue(r.skipped[1].problem.contains("declares 1099511627776 content bytes"), r.skipped[1].problem)
        XCTAssertTrue(r.skipped[2].problem.contains("not a record: opcode 0xee"), r.skipped[2].problem)
    }

    func testDamagedChunksAndADamagedSummaryResynchroniseByScanning() throws {
        let o = try original()
        var b = o.bytes
        // No summary to help: zero the footer; flip a bit in chunk 0 (which defines the channels) and chunk 5.
        for k in (b.count - 37)..<(b.count - 8) { b[k] = 0 }
        b[Int(o.chunks[0].chunkStartOffset) + 49 + 700] ^= 0x04
        b[Int(o.chunks[5].chunkStartOffset) + 1] ^= 0x80  // chunk 5's length: found again by the byte scan
        let lost = o.inChunk(0).union(o.inChunk(5))
        let r = try recover(b, "scan", expectLost: lost, o)
        XCTAssertEqual(r.summaryDamage?.offset, UInt64(o.dataEnd + 13))
        XCTAssertEqual(r.skipped.map(\.offset), [o.chunks[0].chunkStartOffset, o.chunks[5].chunkStartOffset])
        XCTAssertEqual(r.skipped[0].chunk, 0)
        XCTAssertEqual(r.skipped[0].messagesLost, UInt64(o.inChunk(0).count))
        // Chunk 5's framing is gone and there is no index: the bytes up to the next chunk, count unknown.
        XCTAssertNil(r.skipped[1].chunk)
        XCTAssertEqual(r.skipped[1].length, o.chunks[6].chunkStartOffset - o.chunks[5].chunkStartOffset)
        XCTAssertNil(r.skipped[1].messagesLost)
        XCTAssertNil(r.messagesLost)
        XCTAssertEqual(r.inputTruncation?.offset, UInt64(o.dataEnd + 13))  // no footer: reported as cut
        // The channels chunk 0 defined were kept: all four are in the output.
        XCTAssertEqual(r.channelCount, 4)
    }

    // MARK: Summary and footer

    func testADamagedSummaryOrFooterIsRebuiltFromTheChunks() throws {
        let o = try original()
        let summaryStart = Int(MCAPTestSupport.u64(o.bytes, o.bytes.count - 37 + 9))
        // (name, bytes, damage offset, problem, whether a valid footer still ends the file)
        var variants: [(String, [UInt8], UInt64, String, Bool)] = []
        var flipped = o.bytes
        flipped[summaryStart + 40] ^= 0x01
        variants.append(("summary-bit", flipped, UInt64(o.bytes.count - 37 + 25), "summary CRC mismatch", true))
        variants.append(("summary-truncated", Array(o.bytes[..<(summaryStart + 100)]), UInt64(o.dataEnd + 13),
                         "the summary section or footer after the Data End record is damaged", false))
        var zeroed = o.bytes
        for k in (zeroed.count - 37)..<zeroed.count { zeroed[k] = 0 }
        variants.append(("footer-zeroed", zeroed, UInt64(o.dataEnd + 13), "the summary section or footer after the Data End record is damaged", false))
        var offset = o.bytes
        for k in 0..<8 { offset[o.bytes.count - 37 + 9 + k] = 0xFF }
        variants.append(("footer-offset", offset, UInt64(o.bytes.count - 37 + 9), "footer summary_start 18446744073709551615 is outside", true))

        for (name, bytes, damageAt, problem, footer) in variants {
            let r = try recover(bytes, name, expectLost: [], o)
            XCTAssertEqual(r.summaryDamage?.offset, damageAt, name)
            XCTAssertTrue(r.summaryDamage?.problem.contains(problem) ?? false, "\(name): \(String(describing: r.summaryDamage))")
            XCTAssertEqual(r.skipped, [], name)
            // Without a valid footer the file also counts as cut (after its Data End record).
            XCTAssertEqual(r.inputTruncation?.offset, footer ? nil : UInt64(o.dataEnd + 13), name)
            XCTAssertEqual(r.inputChunkCount, UInt32(o.chunks.count), name)

            // info reads it the same way: the counts are rebuilt exactly.
            let info = try MCAPInfo(path: path(name + ".mcap"))
            XCTAssertEqual(info.messageCount, UInt64(o.messages.count), name)
            XCTAssertEqual(info.chunkCount, UInt32(o.chunks.count), name)
            XCTAssertEqual(info.topics.map(\.messageCount).reduce(0, +), UInt64(o.messages.count), name)
            XCTAssertEqual(info.summaryDamage?.offset, damageAt, name)
            XCTAssertEqual(info.truncation?.offset, footer ? nil : UInt64(o.dataEnd + 13), name)
            XCTAssertTrue(info.formattedTable().contains("summary:   DAMAGED at byte \(damageAt)"), name)
            // A strict reader still refuses what it cannot trust (summary present but wrong).
            if name == "summary-bit" || name == "footer-offset" {
                XCTAssertThrowsError(try MCAPReader(path: path(name + ".mcap")), name)
            }
        }
    }

    // MARK: Random input

    func testRandomBytesAreRefusedOrSalvagedNeverACrash() throws {
        let o = try original(count: 300)
        var rng = MCAPTestSupport.XorShift(state: 0x0BAD_F00D)
        func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let headerEnd = Int(o.chunks[0].chunkStartOffset)

        // Not MCAP at all.
        for (i, n) in [0, 7, 8, 4096].enumerated() {
            let p = path("random\(i).mcap")
            try MCAPTestSupport.writeBytes(random(n), to: p)
            XCTAssertThrowsError(try MCAPRecovery.recover(input: p, output: path("random\(i).out.mcap"))) { e in
                let m = (e as? MCAPError)?.problem ?? "\(e)"
                XCTAssertTrue(n < 8 ? m.contains("too short for the MCAP magic") : m.contains("leading MCAP magic missing"), m)
            }
        }
        // A valid start, then random bytes: nothing to recover, the damage named, the file's end reported.
        let tail = Array(o.bytes[..<headerEnd]) + random(64 << 10)
        let p = path("garbage.mcap")
        try MCAPTestSupport.writeBytes(tail, to: p)
        let r = try MCAPRecovery.recover(input: p, output: path("garbage.out.mcap"))
        XCTAssertEqual(r.messageCount, 0)
        XCTAssertEqual(r.skipped.count, 1)
        XCTAssertEqual(r.skipped.first?.offset, UInt64(headerEnd))
        XCTAssertEqual(r.skipped.first?.length, UInt64(64 << 10))
        XCTAssertEqual(r.inputTruncation?.offset, UInt64(headerEnd))

        // Random bytes written over a random stretch of a good file, 30 seeds: every intact chunk outside it is kept.
        for seed in 0..<30 {
            var b = o.bytes
            let from = headerEnd + Int(rng.next() % UInt64(o.dataEnd - headerEnd))
            let n = 1 + Int(rng.next() % 3000)
            for k in from..<min(from + n, o.dataEnd) { b[k] = UInt8(truncatingIfNeeded: rng.next()) }
            let hit = o.chunks.indices.filter { i in
                let c = o.chunks[i]
                // A chunk is damaged when the stretch touches it or its Message Index records (up to the next chunk).
                let end = i + 1 < o.chunks.count ? Int(o.chunks[i + 1].chunkStartOffset) : o.dataEnd
                return from < end && from + n > Int(c.chunkStartOffset)
            }
            let keptByFraming = Set(hit.filter { i in
                // Bytes only in the Message Index records after the chunk leave the chunk itself intact.
                from >= Int(o.chunks[i].chunkStartOffset + o.chunks[i].chunkLength)
            })
            let lost = Set(hit.filter { !keptByFraming.contains($0) }.flatMap { o.inChunk($0) })
            let res = try recover(b, "stretch\(seed)", expectLost: lost, o)
            XCTAssertEqual(res.inputChunkCount, UInt32(o.chunks.count - hit.count + keptByFraming.count), "seed \(seed)")
            XCTAssertNil(res.summaryDamage, "seed \(seed)")
        }
    }

    func testNonRegularFilesAreRefusedAtOnce() throws {
        let fifo = path("fifo.mcap")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for (p, kind) in [(fifo, "a FIFO"), (dir.path, "a directory"), ("/dev/null", "a character device")] {
            XCTAssertThrowsError(try MCAPReader(path: p, salvage: true)) { e in
                XCTAssertEqual((e as? MCAPError)?.problem, "not a regular file (\(kind)); recordings are read from regular files only")
            }
            XCTAssertThrowsError(try MCAPInfo(path: p))
            XCTAssertThrowsError(try MCAPRecovery.recover(input: p, output: path("out.mcap")))
        }
    }
}
