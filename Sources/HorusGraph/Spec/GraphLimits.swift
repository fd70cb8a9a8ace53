import CHorus
import HorusMemory
import HorusSystem

/// The bounds validation puts on every number and name a graph file gives, each chosen so that
/// what `check` accepts, `run` can honour (docs/graph-format.md, "Limits").
public enum GraphLimits {
    /// `rate:` in Hz. The scheduler's period is `1e9 / rate` ns in a UInt64 and it cannot release
    /// ticks faster than about a microsecond apart; below 1e-6 Hz a period exceeds 11 days.
    public static let rate: ClosedRange<Double> = 1e-6...1_000_000
    /// `topics.<name>.capacity`: ring slots (rounded up to a power of two by the ring).
    public static let capacity: ClosedRange<Int> = 1...(1 << 20)
    /// `restart.max_restarts`.
    public static let maxRestarts: ClosedRange<Int> = 0...1_000_000
    /// `restart.backoff_ms`: at most one hour (the supervisor counts it in UInt64 nanoseconds).
    public static let backoffMilliseconds: ClosedRange<Int> = 0...3_600_000
    /// `bridge.domain`: DDS domain ids (HorusBridge's `BridgeSpec.domainRange`, checked equal by its tests).
    public static let bridgeDomain: ClosedRange<Int> = 0...232
    /// `bridge.*.qos.depth`: history depth (`BridgeQoS.depthRange`).
    public static let bridgeDepth: ClosedRange<Int> = 1...10_000
    /// `bridge.export[].qos.rate_limit_hz`: above 0 and at most this (`BridgeQoS.maxRateLimitHz`).
    public static let bridgeMaxRateLimitHz: Double = 100_000
    /// Node names: bytes (they name log lines, isolated processes and plugin instances).
    public static let nodeNameBytes = Int(HORUS_RING_TOPIC_NAME_CAPACITY) - 1
    /// Nesting of mappings and lists in a graph file (a graph needs 5: nodes, node, params, list).
    public static let nesting = 32
    /// Values an alias-expanded document may hold, beyond one per source byte: aliases that
    /// expand past this ("billion laughs") are refused before anything is built from them.
    public static let aliasExpansionAllowance = 100_000

    /// The longest topic name, in bytes, that the current namespace can open: the ring header
    /// stores it in `HORUS_RING_TOPIC_NAME_CAPACITY` (128) bytes with a NUL, and the segment
    /// `/horus-<namespace>-topic-<name>` must fit a 255-byte file name (NAME_MAX).
    public static func topicNameBytes(namespace: String = HorusNamespace.current) -> Int {
        let ring = Int(HORUS_RING_TOPIC_NAME_CAPACITY) - 1
        let segment = 255 - "horus-\(namespace)-topic-".utf8.count
        return max(0, min(ring, segment))
    }

    /// The pool geometry graphs run on (`Pool.shared()` creates the default pool with it).
    public static var pool: PoolConfiguration { .default }
}
