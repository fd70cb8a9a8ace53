#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rewrites a possibly truncated MCAP file (e.g. from a killed recorder) into a complete, indexed file.
public enum MCAPRecovery {
    /// Counts describing what `recover` kept.
    public struct Result: Equatable, Sendable {
        public var messageCount: UInt64
        public var schemaCount: Int
        public var channelCount: Int
        /// Number of complete chunks read from the input.
        public var inputChunkCount: UInt32
        /// Where the input stopped being readable; nil when the input was already complete.
        public var inputTruncation: MCAPTruncation?
    }

    /// Reads every complete message of `input` and writes them, with their schemas and channels (IDs kept when
    /// they are dense, remapped otherwise), to a new complete file at `output`.
    @discardableResult
    public static func recover(input: String, output: String, chunkSize: Int = 4 << 20) throws -> Result {
        let reader = try MCAPReader(path: input)
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
                      inputChunkCount: reader.statistics.chunkCount, inputTruncation: reader.truncation)
    }
}
