/// Live counters of one node, read by the status view and the summary.
public final class NodeStats: @unchecked Sendable {
    public internal(set) var ticks: UInt64 = 0
    /// Periods skipped because the previous tick was still running.
    public internal(set) var misses: UInt64 = 0
    public internal(set) var errors: UInt64 = 0
    public internal(set) var lastError: String?
    public let tickTime = SampleWindow(capacity: 2048)
    public internal(set) var firstTickNs: UInt64 = 0
    public internal(set) var lastTickNs: UInt64 = 0
}

/// A snapshot of one node for display.
public struct NodeStatus: Sendable, Codable {
    public let name: String
    public let type: String
    public let requestedHz: Double?
    public let achievedHz: Double
    public let ticks: UInt64
    public let misses: UInt64
    public let errors: UInt64
    public let tickP50Us: Double
    public let tickP99Us: Double
    public let messagesIn: UInt64
    public let messagesOut: UInt64
    public let drops: UInt64
    /// Publish-time minus data-time of this node's timestamped outputs (end-to-end
    /// latency when the data time was set by the source).
    public let latencyP50Ms: Double?
    public let latencyP90Ms: Double?
    public let latencyP99Ms: Double?
    public let lastError: String?

    /// True when the node ticked and every tick failed (it produced nothing).
    public var failedEveryTick: Bool { ticks > 0 && errors == ticks }
}
