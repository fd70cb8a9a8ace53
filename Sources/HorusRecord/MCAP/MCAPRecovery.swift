#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rewrites a truncated or damaged MCAP file (e.g. from a killed recorder, or with flipped bits) into a
/// complete, indexed file: damaged chunks are skipped (and reported), every intact one is kept, and the
/// summary is rebuilt from the chunks.
public enum MCAPRecovery {
    /// Counts describing what `recover` kept and what it skipped.
    public struct Result: Equatable, Sendable {
        public var messageCount: UInt64
        public var schemaCount: Int
        public var channelCount: Int
        /// Number of intact chunks read from the input.
        public var inputChunkCount: UInt32
        /// Where the input stopped being readable; nil when the input was already complete.
        public var inputTruncation: MCAPTruncation?
        /// Damaged chunks and records that were skipped (chunk, offset, messages lost), in file order.
        public var skipped: [MCAPSkippedRegion]
        /// Why the input's footer or summary could not be used (it was rebuilt from the chunks); nil when intact.
        public var summaryDamage: MCAPError?

        /// Messages lost in the skipped regions; nil when some region's count is unknown.
        public var messagesLost: UInt64? {
            skipped.reduce(UInt64(0) as UInt64?) { total, region in total.flatMap { t in region.messagesLost.map { t + $0 } } }
        }
    }

    /// Reads every intact message of `input` and writes them, with their schemas and channels (IDs kept when
    /// they are dense, remapped otherwise), to a new complete file at `output`.
    @discardableResult
    public static func recover(input: String, output: String, chunkSize: Int = 4 << 20) throws -> Result {
        let reader = try MCAPReader(path: input, salvage: true)
        // Writing over the input would truncate the file the reader has mapped.
        if let a = realpath(input, nil) {
            defer { free(a) }
            if let b = realpath(output, nil) {
                defer { free(b) }
                if strcmp(a, b) == 0 {
                    throw MCAPError(path: output, offset: 0, problem: "recovery output must differ from the input file")
                }
            }
        }
        let writer = try MCAPWriter(path: output, profile: reader.profile, library: reader.library, chunkSize: chunkSize)
        var schemaMap: [UInt16: UInt16] = [:]
        for id in reader.schemas.keys.sorted() {
            let s = reader.schemas[id]!
            schemaMap[id] = writer.addSchema(name: s.name, encoding: s.encoding, data: s.data)
        }
        var channelMap: [UInt16: UInt16] = [:]
        for id in reader.channels.keys.sorted() {
            let c = reader.channels[id]!
            let schema = c.schemaID == 0 ? 0 : (schemaMap[c.schemaID] ?? 0)
            channelMap[id] = writer.addChannel(topic: c.topic, schemaID: schema, messageEncoding: c.messageEncoding,
                                               metadata: c.metadata)
        }
        var count: UInt64 = 0
        try reader.forEachMessage { m in
            guard let ch = channelMap[m.channelID] else {
                throw MCAPError(path: input, offset: m.recordOffset, problem: "message on unknown channel \(m.channelID)")
            }
            try writer.write(channel: ch, sequence: m.sequence, logTime: m.logTime, publishTime: m.publishTime, data: m.data)
            count += 1
        }
        try writer.close()
        return Result(messageCount: count, schemaCount: schemaMap.count, channelCount: channelMap.count,
                      inputChunkCount: reader.chunksRead,
                      inputTruncation: reader.truncation, skipped: reader.skipped, summaryDamage: reader.summaryDamage)
    }
}
