/// Serializes MCAP records (opcode, u64 content length, fields) into an `MCAPByteBuffer`, field order per the spec.
enum MCAPRecordEncoder {
    /// Writes the opcode and a placeholder length; returns the position to pass to `endRecord`.
    static func beginRecord(_ op: MCAPOpcode, into b: MCAPByteBuffer) -> Int {
        b.append(op.rawValue)
        let lengthAt = b.count
        b.append(UInt64(0))
        return lengthAt
    }

    /// Patches the content length of a record started with `beginRecord`.
    static func endRecord(_ lengthAt: Int, in b: MCAPByteBuffer) {
        b.set(UInt64(b.count - lengthAt - 8), at: lengthAt)
    }

    static func header(profile: String, library: String, into b: MCAPByteBuffer) {
        let at = beginRecord(.header, into: b)
        b.append(string: profile)
        b.append(string: library)
        endRecord(at, in: b)
    }

    static func schema(_ s: MCAPSchema, into b: MCAPByteBuffer) {
        let at = beginRecord(.schema, into: b)
        b.append(s.id)
        b.append(string: s.name)
        b.append(string: s.encoding)
        b.append(prefixedBytes: s.data)
        endRecord(at, in: b)
    }

    static func channel(_ c: MCAPChannel, into b: MCAPByteBuffer) {
        let at = beginRecord(.channel, into: b)
        b.append(c.id)
        b.append(c.schemaID)
        b.append(string: c.topic)
        b.append(string: c.messageEncoding)
        let mapAt = b.count
        b.append(UInt32(0))
        for key in c.metadata.keys.sorted() {
            b.append(string: key)
            b.append(string: c.metadata[key]!)
        }
        b.set(UInt32(b.count - mapAt - 4), at: mapAt)
        endRecord(at, in: b)
    }

    /// Message Index: channel id + Array<Tuple<Timestamp, u64 offset>>; `entries` holds flattened (time, offset) pairs.
    static func messageIndex(channel: UInt16, entries: [UInt64], into b: MCAPByteBuffer) {
        let at = beginRecord(.messageIndex, into: b)
        b.append(channel)
        b.append(UInt32(entries.count * 8))
        b.reserve(entries.count * 8)
        for v in entries { b.append(v) }
        endRecord(at, in: b)
    }

    static func chunkIndex(_ c: MCAPChunkIndex, into b: MCAPByteBuffer) {
        let at = beginRecord(.chunkIndex, into: b)
        b.append(c.messageStartTime)
        b.append(c.messageEndTime)
        b.append(c.chunkStartOffset)
        b.append(c.chunkLength)
        b.append(UInt32(c.messageIndexOffsets.count * 10))
        for key in c.messageIndexOffsets.keys.sorted() {
            b.append(key)
            b.append(c.messageIndexOffsets[key]!)
        }
        b.append(c.messageIndexLength)
        b.append(string: c.compression)
        b.append(c.compressedSize)
        b.append(c.uncompressedSize)
        endRecord(at, in: b)
    }

    static func statistics(_ s: MCAPStatistics, into b: MCAPByteBuffer) {
        let at = beginRecord(.statistics, into: b)
        b.append(s.messageCount)
        b.append(s.schemaCount)
        b.append(s.channelCount)
        b.append(s.attachmentCount)
        b.append(s.metadataCount)
        b.append(s.chunkCount)
        b.append(s.messageStartTime)
        b.append(s.messageEndTime)
        b.append(UInt32(s.channelMessageCounts.count * 10))
        for key in s.channelMessageCounts.keys.sorted() {
            b.append(key)
            b.append(s.channelMessageCounts[key]!)
        }
        endRecord(at, in: b)
    }

    static func summaryOffset(_ o: MCAPSummaryOffset, into b: MCAPByteBuffer) {
        let at = beginRecord(.summaryOffset, into: b)
        b.append(o.groupOpcode)
        b.append(o.groupStart)
        b.append(o.groupLength)
        endRecord(at, in: b)
    }

    static func dataEnd(crc: UInt32, into b: MCAPByteBuffer) {
        let at = beginRecord(.dataEnd, into: b)
        b.append(crc)
        endRecord(at, in: b)
    }
}
