import Atomics
import HorusMemory

/// Who holds pool messages across ticks, so a pool exhaustion names the culprits instead of
/// the node that happened to allocate next. Each node has a `Gauge` (an atomic count its
/// adapter keeps: plugin nodes count open handles); the census reads them only on the error
/// path. Built once per `GraphRunner`, read-only after start.
public final class HeldMessageCensus: @unchecked Sendable {
    /// The default `max_held` of a node: messages it may hold at once across ticks.
    public static let defaultMaxHeld = 32
    /// The largest `max_held` a graph may set.
    public static let maxMaxHeld = 4096

    /// One node's count of messages currently held.
    public final class Gauge: @unchecked Sendable {
        private let value = ManagedAtomic<Int>(0)
        /// Messages this node may hold at once (`max_held`).
        public let limit: Int
        /// Creates a gauge with a limit.
        public init(limit: Int = HeldMessageCensus.defaultMaxHeld) { self.limit = limit }
        /// Current count.
        public var count: Int { value.load(ordering: .relaxed) }
        /// Adds `delta` (negative to release).
        @inline(__always) public func add(_ delta: Int) { value.wrappingIncrement(by: delta, ordering: .relaxed) }
    }

    private(set) var entries: [(name: String, gauge: Gauge)] = []

    /// An empty census.
    public init() {}

    /// Adds a node's gauge (before the graph starts: the census is not locked).
    public func register(_ name: String, _ gauge: Gauge) { entries.append((name, gauge)) }

    /// The nodes holding the most messages (largest first, at most `limit`, none holding zero).
    public func topHolders(_ limit: Int = 3) -> [(name: String, count: Int)] {
        entries.map { ($0.name, $0.gauge.count) }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.prefix(limit).map { $0 }
    }

    /// `; most messages held by: node 'leaky' (31 of max_held 32), ...` or "" when nobody holds any.
    public func exhaustionHint() -> String {
        let top = topHolders()
        guard !top.isEmpty else { return "" }
        let limits = Dictionary(entries.map { ($0.name, $0.gauge.limit) }, uniquingKeysWith: { a, _ in a })
        return "; most messages held by: " + top.map { "node '\($0.name)' (\($0.count) of max_held \(limits[$0.name] ?? 0))" }
            .joined(separator: ", ")
    }

    /// `error`'s text, with the top holders appended when it is a pool exhaustion.
    public func describe(_ error: Error) -> String {
        if let e = error as? PoolError, case .exhausted = e { return "\(error)" + exhaustionHint() }
        return "\(error)"
    }
}
