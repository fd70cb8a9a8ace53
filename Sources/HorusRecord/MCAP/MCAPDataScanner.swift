/// Walks the data section of a mapped MCAP file record by record: collects schemas, channels and statistics,
/// verifies chunk CRCs, and optionally delivers every message (log-time order within each chunk).
///
/// In tolerant mode (file without a valid footer) the scan stops cleanly at the first incomplete or corrupt
/// record and reports it as a truncation; in strict mode any such problem is an `MCAPError`.
struct MCAPDataScanner {
    let file: UnsafeRawBufferPointer
    let path: String
    let start: Int
    let limit: Int
    let tolerateTruncation: Bool
    /// Channels known from the summary; messages may reference these or channels defined earlier in the data.
    let summaryChannels: Set<UInt16>

    /// What a scan found.
    struct Result {
        var schemas: [UInt16: MCAPSchema] = [:]
        var channels: [UInt16: MCAPChannel] = [:]
        var statistics = MCAPStatistics()
        var truncation: MCAPTruncation?
        var sawDataEnd = false
    }

    private func error(_ offset: Int, _ problem: String) -> MCAPError {
        MCAPError(path: path, offset: UInt64(offset), problem: problem)
    }

    func scan(_ onMessage: ((MCAPMessageView) throws -> Void)?) throws -> Result {
        var r = Result()
        var pending: [MCAPMessageView] = []
        var pos = start
        scanning: while true {
            if pos == limit {
                if tolerateTruncation {
                    r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "file ends before the Data End record")
                }
                break
            }
            let remaining = limit - pos
            if remaining < 9 {
                let problem = "incomplete record header: \(remaining) of 9 bytes present"
                if tolerateTruncation { r.truncation = MCAPTruncation(offset: UInt64(pos), reason: problem); break }
                throw error(pos, problem + " before the end of the data section")
            }
            let op = file[pos]
            let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: pos + 1, as: UInt64.self))
            if op == 0 && tolerateTruncation {
                r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "opcode 0x00 (zero-filled tail, not a record)")
                break
            }
            if length > UInt64(remaining - 9) {
                let problem = "record opcode 0x\(String(op, radix: 16)) declares \(length) content bytes but only \(remaining - 9) remain"
                if tolerateTruncation { r.truncation = MCAPTruncation(offset: UInt64(pos), reason: problem); break }
                throw error(pos + 1, problem)
            }
            let contentEnd = pos + 9 + Int(length)
            var c = MCAPCursor(file: file, path: path, position: pos + 9, end: contentEnd)
            switch MCAPOpcode(rawValue: op) {
            case .schema?:
                let s = try MCAPRecordDecoder.schema(&c)
                if s.id != 0 { r.schemas[s.id] = s }
            case .channel?:
                let ch = try MCAPRecordDecoder.channel(&c)
                r.channels[ch.id] = ch
            case .message?:
                let m = try MCAPRecordDecoder.message(&c, recordOffset: pos)
                try check(m, &r)
                count(m, &r)
                try onMessage?(m)
            case .chunk?:
                pending.removeAll(keepingCapacity: true)
                do {
                    try readChunk(&c, chunkOffset: pos, into: &pending, &r)
                } catch let e as MCAPError where tolerateTruncation {
                    r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "corrupt chunk: \(e.problem) (at byte \(e.offset))")
                    break scanning
                }
                r.statistics.chunkCount += 1
                for m in pending { count(m, &r) }
                if let onMessage { for m in pending { try onMessage(m) } }
            case .dataEnd?:
                r.sawDataEnd = true
                if tolerateTruncation {
                    r.truncation = MCAPTruncation(offset: UInt64(contentEnd),
                                                  reason: "summary section and footer are missing after the Data End record")
                }
                break scanning
            case .footer?:
                if tolerateTruncation {
                    r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "footer without valid trailing magic")
                }
                break scanning
            default:
                break // other records (attachments, metadata, message indexes, unknown opcodes) are skipped
            }
            pos = contentEnd
        }
        r.statistics.schemaCount = UInt16(truncatingIfNeeded: r.schemas.count)
        r.statistics.channelCount = UInt32(r.channels.count)
        return r
    }

    private func check(_ m: MCAPMessageView, _ r: inout Result) throws {
        if r.channels[m.channelID] == nil && !summaryChannels.contains(m.channelID) {
            throw error(Int(m.recordOffset), "message refers to channel \(m.channelID), which is not defined before it")
        }
    }

    private func count(_ m: MCAPMessageView, _ r: inout Result) {
        let s = r.statistics
        if s.messageCount == 0 || m.logTime < s.messageStartTime { r.statistics.messageStartTime = m.logTime }
        if m.logTime > s.messageEndTime { r.statistics.messageEndTime = m.logTime }
        r.statistics.messageCount += 1
        r.statistics.channelMessageCounts[m.channelID, default: 0] += 1
    }

    /// Parses and validates a whole chunk before anything is delivered, so a corrupt chunk yields no messages.
    private func readChunk(_ c: inout MCAPCursor, chunkOffset: Int, into out: inout [MCAPMessageView],
                           _ r: inout Result) throws {
        _ = try c.u64("chunk message_start_time")
        _ = try c.u64("chunk message_end_time")
        let uncompressedSize = try c.u64("chunk uncompressed_size")
        let crc = try c.u32("chunk uncompressed_crc")
        let compressionAt = c.position
        let compression = try c.string("chunk compression")
        let recordsAt = c.position
        let records = try c.prefixedBytes64("chunk records")
        if !compression.isEmpty {
            throw error(compressionAt, "unsupported chunk compression \"\(compression)\" (only uncompressed chunks are supported)")
        }
        if UInt64(records.count) != uncompressedSize {
            throw error(recordsAt, "chunk records length \(records.count) differs from uncompressed_size \(uncompressedSize)")
        }
        if crc != 0 {
            let actual = MCAPCRC32.checksum(records)
            if actual != crc {
                throw error(recordsAt + 8, "chunk CRC mismatch: stored 0x\(String(crc, radix: 16)), computed 0x\(String(actual, radix: 16))")
            }
        }
        var pos = recordsAt + 8
        let end = pos + records.count
        var sorted = true
        while pos < end {
            let remaining = end - pos
            guard remaining >= 9 else {
                throw error(pos, "incomplete record header inside chunk at \(chunkOffset)")
            }
            let op = file[pos]
            let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: pos + 1, as: UInt64.self))
            guard length <= UInt64(remaining - 9) else {
                throw error(pos + 1, "record opcode 0x\(String(op, radix: 16)) declares \(length) bytes, overrunning its chunk by \(length - UInt64(remaining - 9))")
            }
            let contentEnd = pos + 9 + Int(length)
            var rc = MCAPCursor(file: file, path: path, position: pos + 9, end: contentEnd)
            switch MCAPOpcode(rawValue: op) {
            case .schema?:
                let s = try MCAPRecordDecoder.schema(&rc)
                if s.id != 0 { r.schemas[s.id] = s }
            case .channel?:
                let ch = try MCAPRecordDecoder.channel(&rc)
                r.channels[ch.id] = ch
            case .message?:
                let m = try MCAPRecordDecoder.message(&rc, recordOffset: pos)
                try check(m, &r)
                if let last = out.last, last.logTime > m.logTime { sorted = false }
                out.append(m)
            default:
                break
            }
            pos = contentEnd
        }
        if !sorted {
            // Stable order by log time: ties keep file order.
            out = out.enumerated().sorted { a, b in
                a.element.logTime != b.element.logTime ? a.element.logTime < b.element.logTime : a.offset < b.offset
            }.map(\.element)
        }
    }
}
