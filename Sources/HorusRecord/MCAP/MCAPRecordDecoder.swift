/// Parses the content of individual MCAP records from a cursor bounded to that record's content.
///
/// Trailing unknown fields are ignored, as the spec requires for forward compatibility.
enum MCAPRecordDecoder {
    static func header(_ c: inout MCAPCursor) throws -> (profile: String, library: String) {
        (try c.string("header profile"), try c.string("header library"))
    }

    static func schema(_ c: inout MCAPCursor) throws -> MCAPSchema {
        let id = try c.u16("schema id")
        let name = try c.string("schema name")
        let encoding = try c.string("schema encoding")
        let data = Array(try c.prefixedBytes32("schema data"))
        return MCAPSchema(id: id, name: name, encoding: encoding, data: data)
    }

    static func channel(_ c: inout MCAPCursor) throws -> MCAPChannel {
        let id = try c.u16("channel id")
        let schemaID = try c.u16("channel schema_id")
        let topic = try c.string("channel topic")
        let encoding = try c.string("channel message_encoding")
        var map = try c.prefixedRegion32("channel metadata")
        var metadata: [String: String] = [:]
        while map.remaining > 0 {
            let key = try map.string("channel metadata key")
            metadata[key] = try map.string("channel metadata value")
        }
        return MCAPChannel(id: id, schemaID: schemaID, topic: topic, messageEncoding: encoding, metadata: metadata)
    }

    static func message(_ c: inout MCAPCursor, recordOffset: Int) throws -> MCAPMessageView {
        let channel = try c.u16("message channel_id")
        let sequence = try c.u32("message sequence")
        let logTime = try c.u64("message log_time")
        let publishTime = try c.u64("message publish_time")
        let data = try c.bytes(c.remaining, "message data")
        return MCAPMessageView(channelID: channel, sequence: sequence, logTime: logTime, publishTime: publishTime,
                               data: data, recordOffset: UInt64(recordOffset))
    }

    static func statistics(_ c: inout MCAPCursor) throws -> MCAPStatistics {
        var s = MCAPStatistics()
        s.messageCount = try c.u64("statistics message_count")
        s.schemaCount = try c.u16("statistics schema_count")
        s.channelCount = try c.u32("statistics channel_count")
        s.attachmentCount = try c.u32("statistics attachment_count")
        s.metadataCount = try c.u32("statistics metadata_count")
        s.chunkCount = try c.u32("statistics chunk_count")
        s.messageStartTime = try c.u64("statistics message_start_time")
        s.messageEndTime = try c.u64("statistics message_end_time")
        var map = try c.prefixedRegion32("statistics channel_message_counts")
        while map.remaining > 0 {
            let id = try map.u16("channel_message_counts key")
            s.channelMessageCounts[id] = try map.u64("channel_message_counts value")
        }
        return s
    }

    static func chunkIndex(_ c: inout MCAPCursor) throws -> MCAPChunkIndex {
        let start = try c.u64("chunk index message_start_time")
        let end = try c.u64("chunk index message_end_time")
        let offset = try c.u64("chunk index chunk_start_offset")
        let length = try c.u64("chunk index chunk_length")
        var map = try c.prefixedRegion32("chunk index message_index_offsets")
        var offsets: [UInt16: UInt64] = [:]
        while map.remaining > 0 {
            let id = try map.u16("message_index_offsets key")
            offsets[id] = try map.u64("message_index_offsets value")
        }
        let indexLength = try c.u64("chunk index message_index_length")
        let compression = try c.string("chunk index compression")
        let compressed = try c.u64("chunk index compressed_size")
        let uncompressed = try c.u64("chunk index uncompressed_size")
        return MCAPChunkIndex(messageStartTime: start, messageEndTime: end, chunkStartOffset: offset,
                              chunkLength: length, messageIndexOffsets: offsets, messageIndexLength: indexLength,
                              compression: compression, compressedSize: compressed, uncompressedSize: uncompressed)
    }

    static func summaryOffset(_ c: inout MCAPCursor) throws -> MCAPSummaryOffset {
        MCAPSummaryOffset(groupOpcode: try c.u8("summary offset group_opcode"),
                          groupStart: try c.u64("summary offset group_start"),
                          groupLength: try c.u64("summary offset group_length"))
    }
}
