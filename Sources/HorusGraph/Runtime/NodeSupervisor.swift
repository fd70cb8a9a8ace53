import Atomics
import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
import HorusSystem
#endif

/// Runs one `isolate: process` node in a child process and keeps it running according to
/// its restart policy.
///
/// `spawn` starts the child (the CLI re-executes itself as `horus-run node-host ...`) and
/// returns its pid. A monitor thread waits for the child; when it exits abnormally (a
/// signal, or a non-zero status) the supervisor logs `node 'x' (pid N) crashed: signal 11`,
/// returns the pool slots the child still held (`Pool.reclaimDeadProcesses`), and restarts
/// it after `backoff_ms` while the policy allows (`on-failure`: up to `max_restarts`;
/// `always`: also after clean exits). The rest of the graph keeps running meanwhile.
/// `stop` sends SIGTERM, then SIGKILL after `killTimeout` seconds, and reaps the child.
public final class NodeSupervisor: @unchecked Sendable {
    /// Starts the node's process; returns its pid.
    public typealias Spawn = @Sendable (_ node: ResolvedNode) throws -> Int32

    public let node: ResolvedNode
    private let spawnChild: Spawn
    private let pool: Pool?
    private let log: @Sendable (String) -> Void
    private let killTimeout: Double
    /// Called after each child exit: detaches what the dead child left in its output rings.
    private let reclaimTopics: @Sendable () -> Void

    private let mutex = Mutex()
    private let stopping = ManagedAtomic<Bool>(false)
    private var thread: pthread_t?
    // Guarded by mutex.
    private var pid: Int32 = 0
    private var starts = 0
    private var crashes = 0
    private var restarts = 0
    private var lastExit: String?
    private var gaveUp = false
    private var lastFailed = false
    private var reclaimed = 0

    public init(node: ResolvedNode, pool: Pool?, killTimeout: Double = 2, log: @escaping @Sendable (String) -> Void,
                reclaimTopics: @escaping @Sendable () -> Void = {}, spawn: @escaping Spawn) {
        self.node = node
        self.reclaimTopics = reclaimTopics
        self.pool = pool
        self.killTimeout = killTimeout
        self.log = log
        self.spawnChild = spawn
    }

    /// Starts the child (errors are thrown) and the monitor thread.
    public func start() throws {
        let first = try spawnChild(node)
        locked { pid = first; starts = 1 }
        log("[\(node.name)] isolated: running in process \(first)")
        let box = Unmanaged.passRetained(self).toOpaque()
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            let s = Unmanaged<NodeSupervisor>.fromOpaque(arg!).takeRetainedValue()
            s.monitor()
            return nil
        }, box)
        thread = t
    }

    private func locked<T>(_ body: () -> T) -> T {
        mutex.withLock(body)
    }

    private func monitor() {
        while true {
            let current = locked { pid }
            guard current > 0 else { return }
            var code: Int32 = 0, sig: Int32 = 0
            let r = horus_wait_child(current, 0, &code, &sig)
            if r < 0 { locked { pid = 0 }; return }
            let stoppingNow = stopping.load(ordering: .acquiring)
            let what = sig != 0 ? "signal \(sig)" : "exit status \(code)"
            let failed = sig != 0 || code != 0
            // Slots the child held (messages taken or allocated, not yet released) go back.
            let returned = pool?.reclaimDeadProcesses() ?? 0
            // Its output rings: opening one drops the dead participant; the last leaver removes it.
            reclaimTopics()
            var restart = false
            locked {
                pid = 0
                lastExit = what
                lastFailed = failed
                reclaimed += returned
                if failed && !stoppingNow { crashes += 1 }
            }
            if stoppingNow { return }
            if failed {
                log("node '\(node.name)' (pid \(current)) crashed: \(what)" + (returned > 0 ? " (\(returned) pool references reclaimed)" : ""))
            } else {
                log("node '\(node.name)' (pid \(current)) exited")
            }
            let policy = node.restart
            let used = locked { restarts }
            switch policy.kind {
            case .never: restart = false
            case .onFailure: restart = failed
            case .always: restart = true
            }
            if restart, let max = policy.maxRestarts, used >= max {
                log("node '\(node.name)': giving up after \(used) restart\(used == 1 ? "" : "s") (max_restarts: \(max))")
                restart = false
            } else if !restart {
                log("node '\(node.name)': not restarted (restart policy: \(policy.kind.rawValue))")
            }
            if !restart {
                locked { gaveUp = true }
                return
            }
            // Back off, waking early if the graph stops.
            let until = horus_monotonic_ns() + UInt64(max(0, policy.backoffMilliseconds)) * 1_000_000
            while horus_monotonic_ns() < until && !stopping.load(ordering: .acquiring) { usleep(5_000) }
            mutex.lock()
            if stopping.load(ordering: .acquiring) { mutex.unlock(); return }
            do {
                let next = try spawnChild(node)
                pid = next
                starts += 1
                restarts += 1
                let n = restarts
                mutex.unlock()
                log("node '\(node.name)': restarted (\(n)\(policy.maxRestarts.map { "/\($0)" } ?? "")) as pid \(next)")
            } catch {
                gaveUp = true
                mutex.unlock()
                log("node '\(node.name)': restart failed: \(error)")
                return
            }
        }
    }

    /// Stops the child: SIGTERM, then SIGKILL after `killTimeout` s; joins the monitor. Idempotent.
    public func stop() {
        let current = mutex.withLock {
            stopping.store(true, ordering: .releasing)
            return pid
        }
        if current > 0 {
            kill(current, SIGTERM)
            let deadline = horus_monotonic_ns() + UInt64(killTimeout * 1e9)
            while locked({ pid }) == current && horus_monotonic_ns() < deadline { usleep(5_000) }
            if locked({ pid }) == current {
                log("node '\(node.name)' (pid \(current)) did not stop on SIGTERM; killing it")
                kill(current, SIGKILL)
            }
        }
        if let t = thread { pthread_join(t, nil); thread = nil }
    }

    /// What happened to the node so far.
    public var status: IsolatedNodeStatus {
        locked {
            IsolatedNodeStatus(name: node.name, pid: pid, starts: starts, crashes: crashes, restarts: restarts,
                               lastExit: lastExit, running: pid > 0, gaveUp: gaveUp, reclaimedReferences: reclaimed)
        }
    }

    /// True when the node is down for good and its policy says that stops the graph (`never`).
    public var stopsGraph: Bool { locked { gaveUp && lastFailed } && node.restart.kind == .never }
}

/// The supervision record of an `isolate: process` node.
public struct IsolatedNodeStatus: Sendable, Codable {
    public let name: String
    /// Current child pid (0 when not running).
    public let pid: Int32
    /// Processes started (1 + restarts).
    public let starts: Int
    /// Abnormal exits (signal or non-zero status) while the graph ran.
    public let crashes: Int
    public let restarts: Int
    /// How the last child ended ("signal 11", "exit status 0").
    public let lastExit: String?
    public let running: Bool
    /// True when the node will not be restarted again.
    public let gaveUp: Bool
    /// Pool references of dead children returned to the pool.
    public let reclaimedReferences: Int
}
