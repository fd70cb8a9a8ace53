import HorusMessages

/// What a bridge carries: the DDS domain, the horus topics it exports to DDS and the DDS
/// topics it imports (with the horus type each one becomes), each with its QoS.
public struct BridgeSpec: Sendable, Equatable {
    /// DDS domain id, 0...232.
    public var domain: UInt32
    /// The DDS domain ids Cyclone accepts.
    public static let domainRange: ClosedRange<UInt32> = 0...232
    public var exports: [BridgeExport]
    public var imports: [BridgeImport]

    public init(domain: UInt32 = 0, exports: [BridgeExport] = [], imports: [BridgeImport] = []) {
        self.domain = domain
        self.exports = exports
        self.imports = imports
    }

    /// Checks the spec: domain range, topic names, types with a ROS 2 mapping, QoS values, no topic
    /// both imported and exported (so nothing imported is ever exported back), no topic twice.
    public func validate() throws {
        guard Self.domainRange.contains(domain) else { throw BridgeError("domain \(domain) is not in 0...232") }
        var seen = Set<String>()
        for e in exports {
            try BridgeTopicName.check(e.topic)
            try e.qos.validate(topic: e.topic)
            guard seen.insert(e.topic).inserted else { throw BridgeError("topic '\(e.topic)' is exported twice") }
        }
        for i in imports {
            try BridgeTopicName.check(i.topic)
            try i.qos.validate(topic: i.topic)
            if i.qos.rateLimitHz != nil { throw BridgeError("import '\(i.topic)': rate_limit_hz applies to exports only") }
            _ = try BridgeTypes.codec(i.type, topic: i.topic)
            if exports.contains(where: { $0.topic == i.topic }) {
                throw BridgeError("topic '\(i.topic)' is both imported and exported (it would be sent back to where it came from)")
            }
            guard seen.insert(i.topic).inserted else { throw BridgeError("topic '\(i.topic)' is imported twice") }
        }
    }
}

/// One horus topic sent to DDS as `rt/<name>`; its type comes from the topic (graph or ring header).
public struct BridgeExport: Sendable, Equatable {
    public var topic: String
    public var qos: BridgeQoS
    public init(topic: String, qos: BridgeQoS = BridgeQoS()) {
        self.topic = topic
        self.qos = qos
    }
}

/// One DDS topic `rt/<name>` received into horus topic `<name>` as horus type `type` ("Costmap").
public struct BridgeImport: Sendable, Equatable {
    public var topic: String
    public var type: String
    public var qos: BridgeQoS
    public init(topic: String, type: String, qos: BridgeQoS = BridgeQoS()) {
        self.topic = topic
        self.type = type
        self.qos = qos
    }
}

/// Per-topic QoS: reliability, history depth, and for exports an optional rate limit.
public struct BridgeQoS: Sendable, Equatable {
    public var reliable: Bool
    /// Best effort: KEEP_LAST `depth`. Reliable: KEEP_ALL holding at most `depth` samples
    /// (`DDSQoS`): an export whose readers leave earlier messages unacknowledged for
    /// `DDSQoS.maxBlockingMilliseconds` drops the message and counts it (`drops`, `lastError`).
    public var depth: UInt32
    /// Exports send at most this many messages per second (the others are skipped and counted).
    public var rateLimitHz: Double?
    /// Accepted depths.
    public static let depthRange: ClosedRange<UInt32> = 1...10_000
    /// The highest accepted rate limit (it must also be > 0).
    public static let maxRateLimitHz: Double = 100_000

    public init(reliable: Bool = true, depth: UInt32 = 1, rateLimitHz: Double? = nil) {
        self.reliable = reliable
        self.depth = depth
        self.rateLimitHz = rateLimitHz
    }

    func validate(topic: String) throws {
        guard Self.depthRange.contains(depth) else { throw BridgeError("topic '\(topic)': depth \(depth) is not in 1...10000") }
        if let r = rateLimitHz, !(r > 0 && r <= Self.maxRateLimitHz) {
            throw BridgeError("topic '\(topic)': rate_limit_hz \(r) must be > 0 and <= 100000")
        }
    }
}

/// A bridge configuration or runtime failure, one line naming the topic and value.
public struct BridgeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
