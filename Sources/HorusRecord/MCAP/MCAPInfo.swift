/// A summary of an MCAP file: header, message counts, time range and per-channel topic statistics.
public struct MCAPInfo: Sendable {
    /// Per-channel line of the summary.
    public struct Topic: Equatable, Sendable {
        public var channelID: UInt16
        public var topic: String
        public var schemaName: String
        public var messageEncoding: String
        public var messageCount: UInt64
        /// Messages per second over the whole file's duration (0 when the duration is 0).
        public var rateHz: Double
    }

    public var path: String
    public var profile: String
    public var library: String
    public var messageCount: UInt64
    public var chunkCount: UInt32
    public var schemaNames: [String]
    /// First and last message log time (ns); 0 when there are no messages.
    public var startTime: UInt64
    public var endTime: UInt64
    public var durationSeconds: Double
    public var hasSummary: Bool
    public var truncation: MCAPTruncation?
    /// Why the footer or summary was not usable (the counts then come from scanning the chunks).
    public var summaryDamage: MCAPError?
    /// Damaged chunks skipped while scanning (only scanned when the summary is missing or damaged).
    public var skipped: [MCAPSkippedRegion]
    /// Sorted by topic, then channel ID.
    public var topics: [Topic]

    /// Opens `path` (salvaging: a damaged summary is rebuilt from the chunks) and summarizes it.
    public init(path: String) throws {
        self.init(reader: try MCAPReader(path: path, salvage: true))
    }

    /// Summarizes an already opened reader.
    public init(reader: MCAPReader) {
        let s = reader.statistics
        path = reader.path
        profile = reader.profile
        library = reader.library
        messageCount = s.messageCount
        chunkCount = s.chunkCount
        schemaNames = reader.schemas.keys.sorted().map { reader.schemas[$0]!.name }
        startTime = s.messageStartTime
        endTime = s.messageEndTime
        durationSeconds = s.messageEndTime > s.messageStartTime ? Double(s.messageEndTime - s.messageStartTime) / 1e9 : 0
        hasSummary = reader.hasSummary
        truncation = reader.truncation
        summaryDamage = reader.summaryDamage
        skipped = reader.skipped
        let duration = durationSeconds
        topics = reader.channels.values.map { c in
            let n = s.channelMessageCounts[c.id] ?? 0
            return Topic(channelID: c.id, topic: c.topic, schemaName: reader.schemas[c.schemaID]?.name ?? "",
                         messageEncoding: c.messageEncoding, messageCount: n,
                         rateHz: duration > 0 ? Double(n) / duration : 0)
        }.sorted { ($0.topic, $0.channelID) < ($1.topic, $1.channelID) }
    }
}
