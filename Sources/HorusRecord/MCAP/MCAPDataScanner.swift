/// Walks the data section of a mapped MCAP file record by record: collects schemas, channels and statistics,
/// verifies chunk CRCs, and optionally delivers every message (log-time order within each chunk).
///
/// In tolerant mode (file without a valid footer) the scan stops cleanly at the first incomplete or corrupt
/// record and reports it as a truncation; in strict mode any such problem is an `MCAPError`. In salvage mode
/// (`skipDamage`) a damaged chunk or record is skipped and listed in `Result.skipped`, and the scan goes on at
/// the next readable record: after the damaged record when its framing holds, else at the next chunk of the
/// summary's chunk index, else at the next byte offset where a well-formed chunk (or the Data End record) starts.
struct MCAPDataScanner {
    let file: UnsafeRawBufferPointer
    let path: String
    let start: Int
    let limit: Int
    let tolerateTruncation: Bool
    /// Channels known from the summary; messages may reference these or channels defined earlier in the data.
    let summaryChannels: Set<UInt16>
    /// Skip damaged chunks and records instead of stopping (see the type's doc).
    var skipDamage = false
    /// The summary's chunk index, if readable: where to resynchronise and how chunks are numbered.
    var chunkIndexes: [MCAPChunkIndex] = []

    /// What a scan found.
    struct Result {
        var schemas: [UInt16: MCAPSchema] = [:]
        var channels: [UInt16: MCAPChannel] = [:]
        var statistics = MCAPStatistics()
        var truncation: MCAPTruncation?
        var sawDataEnd = false
        /// Damaged regions skipped in salvage mode, in file order.
        var skipped: [MCAPSkippedRegion] = []
    }

    private func error(_ offset: Int, _ problem: String) -> MCAPError {
        MCAPError(path: path, offset: UInt64(offset), problem: problem)
    }

    func scan(_ onMessage: ((MCAPMessageView) throws -> Void)?) throws -> Result {
        var r = Result()
        var pending: [MCAPMessageView] = []
        var pos = start
        var chunksSeen = 0
        let indexed = chunkIndexes.sorted { $0.chunkStartOffset < $1.chunkStartOffset }
        let starts = indexed.map(\.chunkStartOffset)
        /// Salvage: skips from `pos` to the next readable record; false when there is none.
        func resync(_ problem: String) -> Bool {
            let next = nextRecord(after: pos, indexed)
            let end = next ?? limit
            let inside = indexed.filter { $0.chunkStartOffset >= UInt64(pos) && $0.chunkStartOffset < UInt64(end) }
            let number = indexed.firstIndex { $0.chunkStartOffset == UInt64(pos) }
            var lost: UInt64? = indexed.isEmpty ? nil : 0
            for ci in inside { lost = lost.flatMap { total in indexedCount(ci).map { total + $0 } } }
            r.skipped.append(MCAPSkippedRegion(chunk: inside.count == 1 ? number : nil, offset: UInt64(pos),
                                               length: UInt64(end - pos), problem: "\(problem) (at byte \(pos))",
                                               messagesLost: lost))
            chunksSeen += inside.count
            guard let next else {
                if tolerateTruncation {
                    r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "no readable record after the damage at byte \(pos)")
                }
                return false
            }
            pos = next
            return true
        }
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
                if skipDamage { _ = resync(problem); break }
                if tolerateTruncation { r.truncation = MCAPTruncation(offset: UInt64(pos), reason: problem); break }
                throw error(pos, problem + " before the end of the data section")
            }
            let op = file[pos]
            let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: pos + 1, as: UInt64.self))
            if skipDamage && (MCAPOpcode(rawValue: op) == nil || op == MCAPOpcode.header.rawValue) {
                if resync("not a record: opcode 0x\(String(op, radix: 16))") { continue } else { break }
            }
            if op == 0 && tolerateTruncation {
                r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "opcode 0x00 (zero-filled tail, not a record)")
                break
            }
            if length > UInt64(remaining - 9) {
                let problem = "record opcode 0x\(String(op, radix: 16)) declares \(length) content bytes but only \(remaining - 9) remain"
                if skipDamage { if resync(problem) { continue } else { break } }
                if tolerateTruncation { r.truncation = MCAPTruncation(offset: UInt64(pos), reason: problem); break }
                throw error(pos + 1, problem)
            }
            let contentEnd = pos + 9 + Int(length)
            if skipDamage && op != MCAPOpcode.chunk.rawValue {
                // A damaged length must not carry the scan over chunks (or into the middle of one).
                let next = starts.partitioningIndex { $0 > UInt64(pos) }
                if next < starts.count && starts[next] < UInt64(contentEnd) {
                    if resync("record opcode 0x\(String(op, radix: 16)) declares \(length) bytes, running over the chunk at byte \(starts[next])") { continue } else { break }
                }
                let endsAtChunk = next < starts.count && starts[next] == UInt64(contentEnd)  // (that chunk may be damaged)
                if contentEnd != limit && !endsAtChunk && !plausibleRecord(at: contentEnd) {
                    if resync("record opcode 0x\(String(op, radix: 16)) declares \(length) bytes, ending where no record starts") { continue } else { break }
                }
            }
            var c = MCAPCursor(file: file, path: path, position: pos + 9, end: contentEnd)
            // Parsing may fail (and in salvage mode be skipped); delivery errors are the caller's and propagate.
            var deliver = false
            do {
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
                    pending.removeAll(keepingCapacity: true)
                    pending.append(m)
                    deliver = true
                case .chunk?:
                    pending.removeAll(keepingCapacity: true)
                    do {
                        try readChunk(&c, chunkOffset: pos, into: &pending, &r)
                    } catch let e as MCAPError where tolerateTruncation && !skipDamage {
                        r.truncation = MCAPTruncation(offset: UInt64(pos), reason: "corrupt chunk: \(e.problem) (at byte \(e.offset))")
                        break scanning
                    }
                    chunksSeen += 1
                    r.statistics.chunkCount += 1
                    for m in pending { count(m, &r) }
                    deliver = true
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
            } catch let e as MCAPError where skipDamage {
                let isChunk = op == MCAPOpcode.chunk.rawValue
                let next = starts.partitioningIndex { $0 > UInt64(pos) }
                let swallows = next < starts.count && starts[next] < UInt64(contentEnd)
                if isChunk, !swallows, contentEnd == limit || plausibleRecord(at: contentEnd) {
                    // The framing holds: skip exactly this chunk; its Message Index records follow it.
                    let number = indexed.firstIndex { $0.chunkStartOffset == UInt64(pos) } ?? chunksSeen
                    r.skipped.append(MCAPSkippedRegion(chunk: number, offset: UInt64(pos), length: UInt64(contentEnd - pos),
                                                       problem: "\(e.problem) (at byte \(e.offset))",
                                                       messagesLost: lostMessages(chunkAt: pos, end: contentEnd, &r)))
                    chunksSeen += 1
                } else if contentEnd == limit || plausibleRecord(at: contentEnd) {
                    r.skipped.append(MCAPSkippedRegion(chunk: nil, offset: UInt64(pos), length: UInt64(contentEnd - pos),
                                                       problem: "record opcode 0x\(String(op, radix: 16)): \(e.problem) (at byte \(e.offset))",
                                                       messagesLost: op == MCAPOpcode.message.rawValue ? 1 : 0))
                } else {
                    if resync(e.problem) { continue } else { break }
                }
            }
            if deliver, let onMessage { for m in pending { try onMessage(m) } }
            pos = contentEnd
        }
        r.statistics.schemaCount = UInt16(truncatingIfNeeded: r.schemas.count)
        r.statistics.channelCount = UInt32(r.channels.count)
        return r
    }

    // MARK: Salvage

    /// Whether a record that a reader can use starts at `offset`: a known opcode (not a Header) whose
    /// content fits the data section.
    private func plausibleRecord(at offset: Int) -> Bool {
        guard offset >= start, limit - offset >= 9, let op = MCAPOpcode(rawValue: file[offset]), op != .header else { return false }
        let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: offset + 1, as: UInt64.self))
        return length <= UInt64(limit - offset - 9)
    }

    /// Whether a well-formed chunk starts at `offset`: consistent lengths and, when it has one, a matching CRC.
    private func plausibleChunk(at offset: Int) -> Bool {
        guard limit - offset >= 9 + 40, file[offset] == MCAPOpcode.chunk.rawValue else { return false }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let length = u64(offset + 1)
        guard length >= 40, length <= UInt64(limit - offset - 9) else { return false }
        let size = u64(offset + 25)
        let crc = UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset + 33, as: UInt32.self))
        let nameLength = UInt64(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset + 37, as: UInt32.self)))
        guard nameLength <= 32, 40 + nameLength <= length else { return false }
        let recordsAt = offset + 41 + Int(nameLength)
        guard u64(recordsAt) == size, 40 + nameLength + size == length else { return false }
        if crc == 0 { return true }
        return MCAPCRC32.checksum(UnsafeRawBufferPointer(rebasing: file[(recordsAt + 8)..<(recordsAt + 8 + Int(size))])) == crc
    }

    /// Where the scan can go on after damage at `offset`: the next indexed chunk that is well-formed,
    /// else the next offset where a well-formed chunk or a Data End record starts; nil when none.
    private func nextRecord(after offset: Int, _ indexed: [MCAPChunkIndex]) -> Int? {
        for ci in indexed where ci.chunkStartOffset > UInt64(offset) && ci.chunkStartOffset < UInt64(limit) {
            if plausibleChunk(at: Int(ci.chunkStartOffset)) { return Int(ci.chunkStartOffset) }
        }
        var o = offset + 1
        while o + 9 <= limit {
            let op = file[o]
            if op == MCAPOpcode.chunk.rawValue, plausibleChunk(at: o) { return o }
            if op == MCAPOpcode.dataEnd.rawValue,
               UInt64(littleEndian: file.loadUnaligned(fromByteOffset: o + 1, as: UInt64.self)) == 4,
               o + 13 == limit || (o + 13 < limit && plausibleRecord(at: o + 13)) {
                return o
            }
            o += 1
        }
        return nil
    }

    /// Entries of the Message Index record at `offset`, or nil if none is there.
    private func messageIndexEntries(at offset: Int) -> UInt64? {
        guard offset >= start, limit - offset >= 9 + 6, file[offset] == MCAPOpcode.messageIndex.rawValue else { return nil }
        let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: offset + 1, as: UInt64.self))
        guard length >= 6, length <= UInt64(limit - offset - 9) else { return nil }
        let bytes = UInt64(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset + 11, as: UInt32.self)))
        guard bytes + 6 <= length, bytes % 16 == 0 else { return nil }
        return bytes / 16
    }

    /// Messages in an indexed chunk, from its Message Index records; nil when one is unreadable.
    private func indexedCount(_ ci: MCAPChunkIndex) -> UInt64? {
        var total: UInt64 = 0
        for offset in ci.messageIndexOffsets.values {
            guard offset < UInt64(limit), let n = messageIndexEntries(at: Int(offset)) else { return nil }
            total += n
        }
        return total
    }

    /// Messages in the damaged chunk `[offset, end)`: from the Message Index records that follow it, else
    /// by walking its records (whose schema and channel records are kept when not known otherwise, so the
    /// messages of later chunks on those channels stay readable); nil when neither works.
    private func lostMessages(chunkAt offset: Int, end: Int, _ r: inout Result) -> UInt64? {
        var harvested: [MCAPChannel] = [], schemas: [MCAPSchema] = []
        let walked = walkRecords(chunkAt: offset, end: end, channels: &harvested, schemas: &schemas)
        for s in schemas where r.schemas[s.id] == nil && s.id != 0 { r.schemas[s.id] = s }
        for ch in harvested where r.channels[ch.id] == nil && !summaryChannels.contains(ch.id) { r.channels[ch.id] = ch }
        var o = end
        var total: UInt64 = 0, found = false
        while let n = messageIndexEntries(at: o) {
            total += n
            found = true
            o += 9 + Int(UInt64(littleEndian: file.loadUnaligned(fromByteOffset: o + 1, as: UInt64.self)))
        }
        return found ? total : walked
    }

    /// Message records in a chunk's records region counted by their framing alone, collecting the schema
    /// and channel records that parse; nil when the framing does not hold.
    private func walkRecords(chunkAt offset: Int, end: Int, channels: inout [MCAPChannel], schemas: inout [MCAPSchema]) -> UInt64? {
        var c = MCAPCursor(file: file, path: path, position: offset + 9, end: end)
        guard (try? c.skipChunkPrefix()) != nil, let records = try? c.prefixedBytes64("chunk records"),
              let base = records.baseAddress, let fileBase = file.baseAddress else { return nil }
        var pos = base - fileBase
        let recordsEnd = pos + records.count
        var messages: UInt64 = 0
        while pos < recordsEnd {
            guard recordsEnd - pos >= 9 else { return nil }
            let op = file[pos]
            let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: pos + 1, as: UInt64.self))
            guard length <= UInt64(recordsEnd - pos - 9) else { return nil }
            var rc = MCAPCursor(file: file, path: path, position: pos + 9, end: pos + 9 + Int(length))
            switch MCAPOpcode(rawValue: op) {
            case .message?: messages += 1
            case .channel?: if let ch = try? MCAPRecordDecoder.channel(&rc) { channels.append(ch) }
            case .schema?: if let s = try? MCAPRecordDecoder.schema(&rc) { schemas.append(s) }
            default: break
            }
            pos += 9 + Int(length)
        }
        return messages
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
        if skipDamage && c.remaining != 0 {
            // The records are a chunk's last field: a longer record has a damaged length and would
            // swallow the chunks after it.
            throw error(chunkOffset + 1, "chunk record length exceeds its fields and records by \(c.remaining) bytes")
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

extension Array where Element == UInt64 {
    /// The first index whose element satisfies `predicate` (which must be false, then true, along the array).
    func partitioningIndex(where predicate: (UInt64) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
