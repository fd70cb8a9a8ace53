/// Reads an MCAP file (uncompressed chunks) from an untrusted source: validates magic and every length,
/// loads the summary when present, and iterates messages.
///
/// A file without a valid footer (e.g. its writer was killed) is scanned forward; every message of every
/// complete chunk is available and `truncation` says where and why reading stopped.
/// Problems in a file that claims to be complete are reported as `MCAPError` with the file offset, unless
/// the reader salvages (`salvage: true`, used by `recover`, `info` and `replay`): then a damaged footer or
/// summary is set aside (`summaryDamage`) and rebuilt by scanning the chunks, and damaged chunks are
/// skipped and listed in `skipped` (chunk, offset, messages lost) while every intact one is read.
public final class MCAPReader {
    public let path: String
    public let fileSize: UInt64
    public let profile: String
    public let library: String
    /// True when a valid footer, and a summary section, were found.
    public private(set) var hasSummary: Bool
    /// Schemas by ID (from the summary, or from scanning the data section).
    public private(set) var schemas: [UInt16: MCAPSchema] = [:]
    /// Channels by ID (from the summary, or from scanning the data section).
    public private(set) var channels: [UInt16: MCAPChannel] = [:]
    /// Statistics from the summary, or computed by scanning when the summary has none.
    public private(set) var statistics = MCAPStatistics()
    /// Chunk indexes from the summary (empty for files without a summary).
    public private(set) var chunkIndexes: [MCAPChunkIndex] = []
    /// Summary Offset records from the file (empty when absent).
    public private(set) var summaryOffsets: [MCAPSummaryOffset] = []
    /// Set when the file is incomplete; nil for a complete file.
    public private(set) var truncation: MCAPTruncation?
    public var isTruncated: Bool { truncation != nil }
    /// Salvaging: why the footer or summary could not be used (the chunks were scanned instead).
    public private(set) var summaryDamage: MCAPError?
    /// Salvaging: damaged chunks and records skipped so far (by the opening scan, or `forEachMessage`).
    public private(set) var skipped: [MCAPSkippedRegion] = []
    /// Intact chunks the last full scan (the opening one, or `forEachMessage`) read.
    public private(set) var chunksRead: UInt32 = 0
    /// Whether damaged parts are skipped rather than reported as errors.
    public let salvage: Bool

    private let file: MCAPMappedFile
    private let dataStart: Int
    private var dataLimit: Int
    private var tolerant: Bool
    /// A valid footer and trailing magic end the file (it was finished), whatever its summary holds.
    private var footerFound = false

    /// Size of a Footer record: opcode + length + summary_start + summary_offset_start + summary_crc.
    static let footerRecordSize = 1 + 8 + 8 + 8 + 4

    /// Opens `path` (a regular file); `salvage` as described on the type.
    public init(path: String, salvage: Bool = false) throws {
        self.path = path
        self.salvage = salvage
        file = try MCAPMappedFile(path: path)
        let bytes = file.bytes
        fileSize = UInt64(bytes.count)

        guard bytes.count >= MCAPMagic.bytes.count else {
            throw MCAPError(path: path, offset: 0, problem: "file is \(bytes.count) bytes, too short for the MCAP magic")
        }
        guard MCAPMagic.matches(bytes, at: 0) else {
            throw MCAPError(path: path, offset: 0, problem: "leading MCAP magic missing (not an MCAP v0 file)")
        }
        // Header record.
        var hc = MCAPCursor(file: bytes, path: path, position: 8, end: bytes.count)
        let headerOp = try hc.u8("header opcode")
        guard headerOp == MCAPOpcode.header.rawValue else {
            throw hc.error("first record has opcode 0x\(String(headerOp, radix: 16)), expected Header (0x01)", at: 8)
        }
        let headerLength = try hc.u64("header length")
        guard headerLength <= UInt64(hc.remaining) else {
            throw hc.error("header declares \(headerLength) bytes but only \(hc.remaining) remain in the file", at: 9)
        }
        var hcontent = MCAPCursor(file: bytes, path: path, position: hc.position, end: hc.position + Int(headerLength))
        (profile, library) = try MCAPRecordDecoder.header(&hcontent)
        dataStart = hc.position + Int(headerLength)

        // Footer and trailing magic.
        let footerStart = bytes.count - 8 - Self.footerRecordSize
        tolerant = true
        dataLimit = bytes.count
        hasSummary = false
        var haveStatistics = false
        footerFound = Self.footerPresent(bytes, dataStart: dataStart)
        do {
            let footer = try Self.readFooter(bytes, path: path, dataStart: dataStart)
            if let footer {
                tolerant = false
                dataLimit = footer.summaryStart != 0 ? Int(footer.summaryStart)
                    : (footer.summaryOffsetStart != 0 ? Int(footer.summaryOffsetStart) : footerStart)
                hasSummary = footer.summaryStart != 0
                if hasSummary {
                    let summaryEnd = footer.summaryOffsetStart != 0 ? Int(footer.summaryOffsetStart) : footerStart
                    haveStatistics = try readSummary(from: Int(footer.summaryStart), to: summaryEnd)
                }
                if footer.summaryOffsetStart != 0 {
                    try readSummaryOffsets(from: Int(footer.summaryOffsetStart), to: footerStart)
                }
            }
        } catch let e as MCAPError where salvage {
            // Set the summary aside: everything it said is rebuilt from the data section.
            summaryDamage = e
            (tolerant, dataLimit, hasSummary, haveStatistics) = (true, bytes.count, false, false)
            (schemas, channels, statistics, chunkIndexes, summaryOffsets) = ([:], [:], MCAPStatistics(), [], [])
        }
        if !haveStatistics {
            let result = try scanner().scan(nil)
            schemas.merge(result.schemas) { summary, _ in summary }
            channels.merge(result.channels) { summary, _ in summary }
            statistics = result.statistics
            if salvage, summaryDamage == nil, result.sawDataEnd, let t = result.truncation, t.offset < fileSize {
                // Bytes follow the Data End record but no footer frames them: the summary is damaged or cut.
                summaryDamage = MCAPError(path: path, offset: t.offset,
                                          problem: "the summary section or footer after the Data End record is damaged (no valid footer and trailing magic)")
            }
            settle(result)
        }
    }

    /// Takes a full scan's truncation, skipped parts and chunk count. A file whose footer is valid but
    /// whose summary was set aside is complete; one without a footer was cut (or its end damaged).
    private func settle(_ result: MCAPDataScanner.Result) {
        if tolerant {
            if footerFound && result.sawDataEnd {
                truncation = nil
            } else if summaryDamage != nil, result.sawDataEnd, let t = result.truncation, t.offset < fileSize {
                truncation = MCAPTruncation(offset: t.offset, reason: "no valid footer after the summary section (the file was cut or its end damaged)")
            } else {
                truncation = result.truncation
            }
        }
        if salvage { skipped = result.skipped }
        chunksRead = result.statistics.chunkCount
    }

    /// Whether the file ends with a Footer record (opcode, length 20) and the trailing magic.
    private static func footerPresent(_ bytes: UnsafeRawBufferPointer, dataStart: Int) -> Bool {
        let footerStart = bytes.count - 8 - footerRecordSize
        return footerStart >= dataStart && MCAPMagic.matches(bytes, at: bytes.count - 8)
            && bytes[footerStart] == MCAPOpcode.footer.rawValue
            && UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: footerStart + 1, as: UInt64.self)) == 20
    }

    /// The footer's two offsets, checked against the file (and the summary CRC); nil when the file has no
    /// valid footer and trailing magic (it was not finished). Throws for a footer that is there but wrong.
    private static func readFooter(_ bytes: UnsafeRawBufferPointer, path: String, dataStart: Int) throws
        -> (summaryStart: UInt64, summaryOffsetStart: UInt64)? {
        let footerStart = bytes.count - 8 - footerRecordSize
        guard footerPresent(bytes, dataStart: dataStart) else { return nil }
        var fc = MCAPCursor(file: bytes, path: path, position: footerStart + 9, end: bytes.count - 8)
        let summaryStart = try fc.u64("footer summary_start")
        let summaryOffsetStart = try fc.u64("footer summary_offset_start")
        let crc = try fc.u32("footer summary_crc")
        if summaryStart != 0 {
            guard summaryStart >= UInt64(dataStart), summaryStart <= UInt64(footerStart) else {
                throw MCAPError(path: path, offset: UInt64(footerStart + 9),
                                problem: "footer summary_start \(summaryStart) is outside \(dataStart)...\(footerStart)")
            }
            if crc != 0 {
                let covered = UnsafeRawBufferPointer(rebasing: bytes[Int(summaryStart)..<(footerStart + 25)])
                let actual = MCAPCRC32.checksum(covered)
                guard actual == crc else {
                    throw MCAPError(path: path, offset: UInt64(footerStart + 25),
                                    problem: "summary CRC mismatch: stored 0x\(String(crc, radix: 16)), computed 0x\(String(actual, radix: 16))")
                }
            }
        }
        if summaryOffsetStart != 0 {
            let low = summaryStart != 0 ? summaryStart : UInt64(dataStart)
            guard summaryOffsetStart >= low, summaryOffsetStart <= UInt64(footerStart) else {
                throw MCAPError(path: path, offset: UInt64(footerStart + 17),
                                problem: "footer summary_offset_start \(summaryOffsetStart) is outside \(low)...\(footerStart)")
            }
        }
        return (summaryStart, summaryOffsetStart)
    }

    private func scanner() -> MCAPDataScanner {
        MCAPDataScanner(file: file.bytes, path: path, start: dataStart, limit: dataLimit,
                        tolerateTruncation: tolerant, summaryChannels: Set(channels.keys),
                        skipDamage: salvage, chunkIndexes: chunkIndexes)
    }

    /// Calls `body` for every message: file order across chunks, log-time order within each chunk.
    /// The view's `data` is only valid during the call. For a truncated file, stops at the truncation point.
    public func forEachMessage(_ body: (MCAPMessageView) throws -> Void) throws {
        let result = try withoutActuallyEscaping(body) { escapable in
            try scanner().scan(escapable)
        }
        settle(result)
    }

    /// All messages, with payloads copied.
    public func readAllMessages() throws -> [MCAPMessage] {
        var out: [MCAPMessage] = []
        out.reserveCapacity(Int(min(statistics.messageCount, 1 << 24)))
        try forEachMessage { out.append(MCAPMessage($0)) }
        return out
    }

    /// Reads summary records; returns whether a Statistics record was present.
    private func readSummary(from start: Int, to end: Int) throws -> Bool {
        var sawStatistics = false
        var pos = start
        let bytes = file.bytes
        while pos < end {
            var c = MCAPCursor(file: bytes, path: path, position: pos, end: end)
            let op = try c.u8("summary record opcode")
            let length = try c.u64("summary record length")
            guard length <= UInt64(c.remaining) else {
                throw c.error("summary record opcode 0x\(String(op, radix: 16)) declares \(length) bytes but only \(c.remaining) remain in the summary section", at: pos + 1)
            }
            let contentEnd = c.position + Int(length)
            var rc = MCAPCursor(file: bytes, path: path, position: c.position, end: contentEnd)
            switch MCAPOpcode(rawValue: op) {
            case .schema?:
                let s = try MCAPRecordDecoder.schema(&rc)
                if s.id != 0 { schemas[s.id] = s }
            case .channel?:
                let ch = try MCAPRecordDecoder.channel(&rc)
                channels[ch.id] = ch
            case .statistics?:
                statistics = try MCAPRecordDecoder.statistics(&rc)
                sawStatistics = true
            case .chunkIndex?:
                let ci = try MCAPRecordDecoder.chunkIndex(&rc)
                guard ci.chunkStartOffset >= UInt64(dataStart), ci.chunkLength <= fileSize,
                      ci.chunkStartOffset <= fileSize - ci.chunkLength else {
                    throw rc.error("chunk index points outside the file (offset \(ci.chunkStartOffset), length \(ci.chunkLength))", at: pos)
                }
                chunkIndexes.append(ci)
            default:
                break
            }
            pos = contentEnd
        }
        return sawStatistics
    }

    private func readSummaryOffsets(from start: Int, to end: Int) throws {
        var pos = start
        while pos < end {
            var c = MCAPCursor(file: file.bytes, path: path, position: pos, end: end)
            let op = try c.u8("summary offset opcode")
            let length = try c.u64("summary offset length")
            guard length <= UInt64(c.remaining) else {
                throw c.error("record opcode 0x\(String(op, radix: 16)) declares \(length) bytes but only \(c.remaining) remain before the footer", at: pos + 1)
            }
            let contentEnd = c.position + Int(length)
            if op == MCAPOpcode.summaryOffset.rawValue {
                var rc = MCAPCursor(file: file.bytes, path: path, position: c.position, end: contentEnd)
                summaryOffsets.append(try MCAPRecordDecoder.summaryOffset(&rc))
            }
            pos = contentEnd
        }
    }
}
