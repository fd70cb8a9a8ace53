/// How a graph run ends and what it runs on.
public struct RunOptions: Sendable {
    /// Stop after this many seconds.
    public var duration: Double?
    /// Stop after every rate-driven node has ticked this many times (and the rest of the
    /// graph has processed what they published).
    public var ticks: UInt64?
    /// Worker threads (default: 2, or the core count when larger).
    public var workers: Int
    /// The time nodes read.
    public var clock: GraphClock
    /// Pool nodes allocate from (`HORUS_POOL` or "default").
    public var poolName: String?
    /// Nodes not to instantiate (replay publishes their outputs instead).
    public var excludedNodes: Set<String>
    /// Where node log lines go.
    public var log: @Sendable (String) -> Void
    /// Starts an `isolate: process` node in a child process (returns its pid). When set,
    /// such nodes are not instantiated in this process but supervised (`NodeSupervisor`);
    /// when nil they run in-process like any other node.
    public var spawnIsolated: NodeSupervisor.Spawn?
    /// Input-triggered nodes (with one trigger input) whose publisher is in another process:
    /// each gets a thread sleeping on the input ring's futex, instead of the scheduler's
    /// 2 ms poll. The runner adds the readers of isolated nodes' outputs itself.
    public var blockingNodes: Set<String> = []

    public init(duration: Double? = nil, ticks: UInt64? = nil, workers: Int? = nil, clock: GraphClock = WallClock(),
                poolName: String? = nil, excludedNodes: Set<String> = [], log: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.duration = duration
        self.ticks = ticks
        self.workers = workers ?? max(2, min(8, sysconfCores()))
        self.clock = clock
        self.poolName = poolName
        self.excludedNodes = excludedNodes
        self.log = log
        self.spawnIsolated = nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
