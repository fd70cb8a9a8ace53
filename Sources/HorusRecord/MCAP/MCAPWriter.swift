import Foundation

/// Writes a chunked, indexed MCAP file with POSIX write(2): one write per chunk (chunk record + its message indexes).
///
/// Message bytes are copied exactly once, into a preallocated chunk buffer that is reused for every chunk.
/// With `chunkCRC`, large payload parts are checksummed while they are copied (one pass over the
/// source), and the small record headers in between are checksummed just before the next large
/// part or at flush; the chunk CRC is then ready when the chunk is full.
/// Not thread-safe: use from one thread (or serialize calls externally). Call `close()` to produce a complete file;
/// a file whose writer never closes (e.g. the process is killed) can be read with `MCAPReader` and repaired
/// with `MCAPRecovery`.
public final class MCAPWriter {
    /// Size of the Chunk record prefix for uncompressed chunks:
    /// opcode(1) length(8) start(8) end(8) uncompressed_size(8) crc(4) compression(4+0) records_length(8).
    static let chunkPrefixSize = 49

    public let path: String
    /// Target uncompressed size of a chunk's records; a chunk is flushed once it reaches this size.
    public let chunkSize: Int
    /// When false, chunks carry CRC 0 ("not computed", allowed by the spec): faster, but
    /// readers cannot detect corrupted chunk contents.
    public let chunkCRC: Bool

    private let output: MCAPFileOutput
    private let chunk: MCAPByteBuffer
    private var schemas: [MCAPSchema] = []          // id == index + 1
    private var channels: [MCAPChannel] = []        // id == index + 1
    private var schemaWritten: [Bool] = [false]     // indexed by id
    private var channelWritten: [Bool] = [false]    // indexed by id
    private var channelCounts: [UInt64] = [0]       // indexed by id
    /// Per channel (indexed by id): flattened (logTime, offset) pairs for the current chunk.
    private var indexEntries: [[UInt64]] = [[]]
    private var touchedChannels: [UInt16] = []
    private var chunkStart: UInt64 = .max
    private var chunkEnd: UInt64 = 0
    private var chunkMessages = 0
    private var stats = MCAPStatistics()
    private var chunkIndexes: [MCAPChunkIndex] = []
    private var closed = false
    /// Running CRC of the chunk's records `[chunkPrefixSize, crcCovered)`.
    private var runningCRC: UInt32 = 0
    private var crcCovered = 0
    /// Payload parts at least this large are copied and checksummed in one pass.
    private static let fusedCRCThreshold = 1024

    /// Creates (truncating) `path` and writes the leading magic and Header record.
    public init(path: String, profile: String = "horus", library: String = "horus", chunkSize: Int = 4 << 20,
                chunkCRC: Bool = true) throws {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.chunkCRC = chunkCRC
        self.path = path
        self.chunkSize = chunkSize
        output = try MCAPFileOutput(path: path)
        chunk = MCAPByteBuffer(capacity: chunkSize + chunkSize / 8 + 64 * 1024)

        let head = MCAPByteBuffer(capacity: 256)
        MCAPMagic.bytes.withUnsafeBytes { head.append($0) }
        MCAPRecordEncoder.header(profile: profile, library: library, into: head)
        try output.write(head.bytes)
        resetChunk()
    }

    deinit {
        if !closed { try? close() }
    }

    /// Registers a schema and returns its ID (1, 2, ...). It is written to the file before the first message that needs it.
    @discardableResult
    public func addSchema(name: String, encoding: String, data: [UInt8]) -> UInt16 {
        precondition(schemas.count < Int(UInt16.max), "too many schemas")
        let id = UInt16(schemas.count + 1)
        schemas.append(MCAPSchema(id: id, name: name, encoding: encoding, data: data))
        schemaWritten.append(false)
        return id
    }

    /// Registers a channel and returns its ID (1, 2, ...). `schemaID` 0 means no schema.
    @discardableResult
    public func addChannel(topic: String, schemaID: UInt16, messageEncoding: String,
                           metadata: [String: String] = [:]) -> UInt16 {
        precondition(schemaID == 0 || Int(schemaID) <= schemas.count, "unknown schema ID \(schemaID)")
        precondition(channels.count < Int(UInt16.max), "too many channels")
        let id = UInt16(channels.count + 1)
        channels.append(MCAPChannel(id: id, schemaID: schemaID, topic: topic, messageEncoding: messageEncoding,
                                    metadata: metadata))
        channelWritten.append(false)
        channelCounts.append(0)
        indexEntries.append([])
        return id
    }

    /// Writes one message whose payload is a single contiguous buffer.
    public func write(channel: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64,
                      data: UnsafeRawBufferPointer) throws {
        try beginMessage(channel: channel, sequence: sequence, logTime: logTime, publishTime: publishTime,
                         payloadLength: data.count)
        appendPayload(data)
        try endMessage()
    }

    /// Writes one message whose payload is `header` followed by `payload` (avoids concatenating them first).
    public func write(channel: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64,
                      header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
        try beginMessage(channel: channel, sequence: sequence, logTime: logTime, publishTime: publishTime,
                         payloadLength: header.count + payload.count)
        appendPayload(header)
        appendPayload(payload)
        try endMessage()
    }

    /// Writes one message whose payload is the concatenation of `parts`; each part is copied once.
    public func write(channel: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64,
                      parts: [UnsafeRawBufferPointer]) throws {
        var total = 0
        for p in parts { total += p.count }
        try beginMessage(channel: channel, sequence: sequence, logTime: logTime, publishTime: publishTime,
                         payloadLength: total)
        for p in parts { appendPayload(p) }
        try endMessage()
    }

    /// Writes one message of exactly `payloadLength` bytes that `fill` writes in place, into
    /// the chunk buffer (an encoder writing straight from a pool slot: one copy). `fill` gets
    /// a copy function for its bulk parts, which computes the chunk CRC in the same pass
    /// (call it in increasing destination order, after writing what precedes). `fill` must
    /// not throw for a size it reported (measure first); if it does, the bytes are zeroed and
    /// the error is rethrown (the file stays valid).
    public func write(channel: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64, payloadLength: Int,
                      fill: (UnsafeMutableRawBufferPointer, _ copy: (UnsafeMutableRawPointer, UnsafeRawPointer, Int) -> Void) throws -> Void) throws {
        try beginMessage(channel: channel, sequence: sequence, logTime: logTime, publishTime: publishTime,
                         payloadLength: payloadLength)
        let savedCRC = runningCRC, savedCovered = crcCovered
        let dst = chunk.appendUninitialized(payloadLength)
        do { try fill(UnsafeMutableRawBufferPointer(start: dst, count: payloadLength), fusedCopy) } catch {
            (runningCRC, crcCovered) = (savedCRC, savedCovered)
            dst.initializeMemory(as: UInt8.self, repeating: 0, count: payloadLength)
            throw error
        }
        if chunkCRC && payloadLength >= Self.fusedCRCThreshold { catchUpCRC() }  // while the bytes are in cache
        try endMessage()
    }

    /// Copies a bulk part into the chunk buffer at `dst`, checksumming it in the same pass
    /// (after the bytes before it).
    private func fusedCopy(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ n: Int) {
        let offset = dst - chunk.base
        guard chunkCRC, n >= Self.fusedCRCThreshold, offset >= crcCovered, offset + n <= chunk.count else {
            memcpy(dst, src, n)
            return
        }
        if crcCovered < offset {
            runningCRC = MCAPCRC32.update(runningCRC, UnsafeRawBufferPointer(start: chunk.base + crcCovered, count: offset - crcCovered))
        }
        runningCRC = MCAPCRC32.copy(runningCRC, UnsafeRawBufferPointer(start: src, count: n), to: dst)
        crcCovered = offset + n
    }

    /// Convenience: writes a message from a byte array.
    public func write(channel: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64, data: [UInt8]) throws {
        try data.withUnsafeBytes {
            try write(channel: channel, sequence: sequence, logTime: logTime, publishTime: publishTime, data: $0)
        }
    }

    /// Finishes the file: last chunk, Data End, summary (schemas, channels, statistics, chunk indexes),
    /// summary offsets, footer and closing magic. Further writes are not allowed.
    public func close() throws {
        guard !closed else { return }
        closed = true
        // Every registered channel appears in the data section, even if it never carried a message.
        for ch in channels where !channelWritten[Int(ch.id)] { writeChannelDefinition(ch.id) }
        try flushChunk()

        let tail = MCAPByteBuffer(capacity: 4096 + chunkIndexes.count * 128)
        MCAPRecordEncoder.dataEnd(crc: 0, into: tail)
        let summaryStart = output.offset + UInt64(tail.count)
        var offsets: [MCAPSummaryOffset] = []
        func group(_ op: MCAPOpcode, _ body: () -> Void) {
            let start = tail.count
            body()
            if tail.count > start {
                offsets.append(MCAPSummaryOffset(groupOpcode: op.rawValue,
                                                 groupStart: output.offset + UInt64(start),
                                                 groupLength: UInt64(tail.count - start)))
            }
        }
        group(.schema) { for s in schemas { MCAPRecordEncoder.schema(s, into: tail) } }
        group(.channel) { for c in channels { MCAPRecordEncoder.channel(c, into: tail) } }
        stats.schemaCount = UInt16(schemas.count)
        stats.channelCount = UInt32(channels.count)
        stats.chunkCount = UInt32(chunkIndexes.count)
        if stats.messageCount == 0 { stats.messageStartTime = 0; stats.messageEndTime = 0 }
        stats.channelMessageCounts = [:]
        for c in channels { stats.channelMessageCounts[c.id] = channelCounts[Int(c.id)] }
        group(.statistics) { MCAPRecordEncoder.statistics(stats, into: tail) }
        group(.chunkIndex) { for ci in chunkIndexes { MCAPRecordEncoder.chunkIndex(ci, into: tail) } }

        let summaryOffsetStart = output.offset + UInt64(tail.count)
        for o in offsets { MCAPRecordEncoder.summaryOffset(o, into: tail) }

        // Footer: summary_start, summary_offset_start, summary_crc (covers summary start .. end of summary_offset_start).
        let crcFrom = Int(summaryStart - output.offset)
        tail.append(MCAPOpcode.footer.rawValue)
        tail.append(UInt64(20))
        tail.append(summaryStart)
        tail.append(summaryOffsetStart)
        let crc = MCAPCRC32.checksum(UnsafeRawBufferPointer(rebasing: tail.bytes[crcFrom..<tail.count]))
        tail.append(crc)
        MCAPMagic.bytes.withUnsafeBytes { tail.append($0) }
        try output.write(tail.bytes)
        try output.close()
    }

    // MARK: - Chunk assembly

    @inline(__always)
    private func appendPayload(_ p: UnsafeRawBufferPointer) {
        if chunkCRC && p.count >= Self.fusedCRCThreshold {
            catchUpCRC()
            runningCRC = chunk.appendChecksummed(p, crc: runningCRC)
            crcCovered = chunk.count
        } else {
            chunk.append(p)
        }
    }

    /// Checksums the records appended since the last checksummed part.
    private func catchUpCRC() {
        guard crcCovered < chunk.count else { return }
        runningCRC = MCAPCRC32.update(runningCRC, UnsafeRawBufferPointer(start: chunk.base + crcCovered,
                                                                         count: chunk.count - crcCovered))
        crcCovered = chunk.count
    }

    private func resetChunk() {
        chunk.removeAll()
        chunk.appendZeros(Self.chunkPrefixSize)
        runningCRC = 0
        crcCovered = Self.chunkPrefixSize
        for ch in touchedChannels { indexEntries[Int(ch)].removeAll(keepingCapacity: true) }
        touchedChannels.removeAll(keepingCapacity: true)
        chunkStart = .max
        chunkEnd = 0
        chunkMessages = 0
    }

    /// Puts the channel (and its schema, if not yet written) into the current chunk.
    private func writeChannelDefinition(_ id: UInt16) {
        let ch = channels[Int(id) - 1]
        if ch.schemaID != 0 && !schemaWritten[Int(ch.schemaID)] {
            MCAPRecordEncoder.schema(schemas[Int(ch.schemaID) - 1], into: chunk)
            schemaWritten[Int(ch.schemaID)] = true
        }
        MCAPRecordEncoder.channel(ch, into: chunk)
        channelWritten[Int(id)] = true
    }

    @inline(__always)
    private func beginMessage(channel: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64,
                              payloadLength: Int) throws {
        guard !closed else { throw MCAPError(path: path, offset: output.offset, problem: "write after close") }
        guard channel != 0, Int(channel) <= channels.count else {
            throw MCAPError(path: path, offset: output.offset, problem: "write to unknown channel \(channel)")
        }
        if !channelWritten[Int(channel)] { writeChannelDefinition(channel) }
        let recordOffset = UInt64(chunk.count - Self.chunkPrefixSize)
        chunk.reserve(9 + 22 + payloadLength)
        chunk.append(MCAPOpcode.message.rawValue)
        chunk.append(UInt64(22 + payloadLength))
        chunk.append(channel)
        chunk.append(sequence)
        chunk.append(logTime)
        chunk.append(publishTime)

        let idx = Int(channel)
        if indexEntries[idx].isEmpty { touchedChannels.append(channel) }
        indexEntries[idx].append(logTime)
        indexEntries[idx].append(recordOffset)
        channelCounts[idx] += 1
        chunkMessages += 1
        if logTime < chunkStart { chunkStart = logTime }
        if logTime > chunkEnd { chunkEnd = logTime }
        if stats.messageCount == 0 || logTime < stats.messageStartTime { stats.messageStartTime = logTime }
        if logTime > stats.messageEndTime { stats.messageEndTime = logTime }
        stats.messageCount += 1
    }

    @inline(__always)
    private func endMessage() throws {
        if chunk.count - Self.chunkPrefixSize >= chunkSize { try flushChunk() }
    }

    /// Completes the Chunk record in place, appends its Message Index records, and writes everything with one write(2).
    private func flushChunk() throws {
        let prefix = Self.chunkPrefixSize
        let recordsLength = chunk.count - prefix
        guard recordsLength > 0 else { return }
        var crc: UInt32 = 0
        if chunkCRC {
            catchUpCRC()
            crc = runningCRC
        }
        let start = chunkMessages > 0 ? chunkStart : 0
        let end = chunkMessages > 0 ? chunkEnd : 0
        chunk.set(MCAPOpcode.chunk.rawValue, at: 0)
        chunk.set(UInt64(prefix - 9 + recordsLength), at: 1)
        chunk.set(start, at: 9)
        chunk.set(end, at: 17)
        chunk.set(UInt64(recordsLength), at: 25)
        chunk.set(crc, at: 33)
        chunk.set(UInt32(0), at: 37)                 // compression "" (none)
        chunk.set(UInt64(recordsLength), at: 41)

        let chunkOffset = output.offset
        var indexOffsets: [UInt16: UInt64] = [:]
        touchedChannels.sort()
        for ch in touchedChannels {
            indexOffsets[ch] = chunkOffset + UInt64(chunk.count)
            MCAPRecordEncoder.messageIndex(channel: ch, entries: indexEntries[Int(ch)], into: chunk)
        }
        let indexLength = UInt64(chunk.count - prefix - recordsLength)
        try output.write(chunk.bytes)
        chunkIndexes.append(MCAPChunkIndex(
            messageStartTime: start, messageEndTime: end, chunkStartOffset: chunkOffset,
            chunkLength: UInt64(prefix + recordsLength), messageIndexOffsets: indexOffsets,
            messageIndexLength: indexLength, compression: "", compressedSize: UInt64(recordsLength),
            uncompressedSize: UInt64(recordsLength)))
        resetChunk()
    }
}
