/// The optional `bridge:` section: the DDS domain and the topics exported to (horus -> DDS) and
/// imported from (DDS -> horus) ROS 2, as written in the file. Checked by `GraphValidator`;
/// run by horus-run with HorusBridge.
public struct BridgeSectionSpec: Sendable, Hashable {
    /// Location of the `bridge:` key.
    public var location: SourceLocation
    /// `domain:` — DDS domain id (0 when absent).
    public var domain: Located<Int>?
    /// `export:` entries in file order.
    public var exports: [BridgeTopicSpec] = []
    /// `import:` entries in file order.
    public var imports: [BridgeTopicSpec] = []

    /// Creates an empty section read at `location`.
    public init(location: SourceLocation) { self.location = location }
}

/// One `export:` or `import:` entry: the horus topic, for imports the horus type, and its QoS.
public struct BridgeTopicSpec: Sendable, Hashable {
    /// Location of the list item.
    public var location: SourceLocation
    /// `bridge.export[0]` / `bridge.import[1]`.
    public var keyPath: String
    /// `topic:` (or the whole item in the shorthand `- /map/costmap`).
    public var topic: Located<String>?
    /// `type:` — imports only: the horus type the DDS samples are decoded as.
    public var type: Located<String>?
    /// `qos.reliability:` — true for `reliable`, false for `best_effort`.
    public var reliable: Located<Bool>?
    /// `qos.depth:` — history depth (see `BridgeQoS.depth`).
    public var depth: Located<Int>?
    /// `qos.rate_limit_hz:` — exports only: at most this many messages per second.
    public var rateLimitHz: Located<Double>?

    /// Creates an entry read at `location`.
    public init(location: SourceLocation, keyPath: String) {
        self.location = location
        self.keyPath = keyPath
    }
}

/// Which message types the bridge can carry and which topic names DDS accepts: given to the
/// validator by the program that runs bridges (horus-run, from HorusBridge), since HorusGraph
/// knows neither the codecs nor DDS.
public struct BridgeRules: Sendable {
    /// Horus types with a ROS 2 mapping, sorted (`Costmap`, `DepthImage`, ...).
    public var bridgeableTypes: [String]
    /// Why a horus topic name cannot be a ROS 2 name, or nil if it can.
    public var topicNameProblem: @Sendable (String) -> String?

    /// Creates the rules.
    public init(bridgeableTypes: [String], topicNameProblem: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.bridgeableTypes = bridgeableTypes
        self.topicNameProblem = topicNameProblem
    }
}

/// A validated `bridge:` section, ready to run.
public struct ResolvedBridge: Sendable, Hashable {
    /// One bridged topic with its QoS (defaults filled in: reliable, depth 1, no rate limit).
    public struct Topic: Sendable, Hashable {
        /// Horus topic name; the DDS topic is `rt/` + the name without its leading slash.
        public var topic: String
        /// Horus message type (exports: the publishers'; imports: the declared one).
        public var type: MessageTypeName
        public var reliable: Bool
        public var depth: Int
        /// Exports only.
        public var rateLimitHz: Double?

        /// Creates a bridged topic.
        public init(topic: String, type: MessageTypeName, reliable: Bool = true, depth: Int = 1, rateLimitHz: Double? = nil) {
            self.topic = topic
            self.type = type
            self.reliable = reliable
            self.depth = depth
            self.rateLimitHz = rateLimitHz
        }
    }
    /// DDS domain id.
    public var domain: Int
    public var exports: [Topic]
    public var imports: [Topic]
}
