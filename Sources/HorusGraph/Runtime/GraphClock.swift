import CHorus

/// The time nodes read. Live runs follow the wall clock; replay follows recorded time,
/// so a node stamping its output with `clock.now()` gives the same result in both.
public protocol GraphClock: AnyObject, Sendable {
    /// Nanoseconds since the Unix epoch (live) or the recorded time (replay).
    func now() -> UInt64
}

/// The wall clock (CLOCK_REALTIME).
public final class WallClock: GraphClock, @unchecked Sendable {
    public init() {}
    public func now() -> UInt64 { horus_realtime_ns() }
}

/// A clock set by whoever drives the graph (replay, deterministic stepping, tests).
public final class ManualClock: GraphClock, @unchecked Sendable {
    private var value: UInt64
    public init(_ start: UInt64 = 0) { value = start }
    public func now() -> UInt64 { value }
    public func set(_ t: UInt64) { value = t }
}
