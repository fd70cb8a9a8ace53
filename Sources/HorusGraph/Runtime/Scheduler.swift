import Atomics
import CHorus
#if canImport(Glibc)
import Glibc
import HorusSystem
#endif

/// Runs nodes on a small pool of worker threads. Periodic nodes are released by a timer
/// thread at absolute deadlines (deadline += period: no drift; a deadline that finds the
/// previous tick still running, or that has already passed, counts as a miss). Input-
/// triggered nodes are queued directly by in-process publishers, and by a light poller
/// for publishers in other processes. A node is queued at most once at a time.
final class Scheduler: @unchecked Sendable {
    private let nodes: [ScheduledNode]
    private let workerCount: Int
    private var ready: [ScheduledNode] = []
    private var readyHead = 0
    private let mutex = Mutex()
    private let cond = ConditionVariable()
    private let stopping = ManagedAtomic<Bool>(false)
    private let running = ManagedAtomic<Int>(0)
    private var threads: [pthread_t] = []
    /// Input-triggered nodes (one trigger input each) fed by another process: a waiter
    /// thread per node sleeps on the input ring's futex instead of the 2 ms poll.
    private let blocking: [ScheduledNode]

    init(nodes: [ScheduledNode], workers: Int, blockingNodes: Set<String> = []) {
        self.nodes = nodes
        self.blocking = nodes.filter { blockingNodes.contains($0.spec.name) && $0.triggerInputs.count == 1 }
        self.workerCount = max(1, workers)
    }

    /// Queues `node` unless it is already queued or running.
    func enqueue(_ node: ScheduledNode) {
        guard node.queued.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        mutex.withLock {
            ready.append(node)
            cond.signal()
        }
    }

    func start() {
        let now = horus_monotonic_ns()
        for n in nodes where n.periodNs != nil { n.nextDeadline = now }
        // Each thread holds the scheduler until it returns (after `stop`): a thread that starts
        // late must never find it gone (an unowned capture crashed when the owner was released early).
        for _ in 0..<workerCount { spawn { self.workerLoop() } }
        if nodes.contains(where: { $0.periodNs != nil }) { spawn { self.timerLoop() } }
        if nodes.contains(where: { n in !n.triggerInputs.isEmpty && !blocking.contains(where: { $0 === n }) }) { spawn { self.pollLoop() } }
        for n in blocking { spawn { self.waitLoop(n) } }
    }

    /// Stops releasing ticks, lets running ticks finish, joins the threads.
    func stop() {
        stopping.store(true, ordering: .releasing)
        mutex.withLock { cond.broadcast() }
        for t in threads { pthread_join(t, nil) }
        threads.removeAll()
    }

    /// True when nothing is queued or running and no triggered node has input waiting.
    var isIdle: Bool {
        let empty = mutex.withLock { readyHead == ready.count }
        return empty && running.load(ordering: .acquiring) == 0 && !nodes.contains { $0.queued.load(ordering: .acquiring) || $0.hasInput }
    }

    /// True when every periodic node has used its tick budget.
    var periodicBudgetsSpent: Bool {
        nodes.allSatisfy { $0.periodNs == nil || $0.remainingTicks == 0 }
    }

    private func workerLoop() {
        while true {
            mutex.lock()
            while readyHead == ready.count && !stopping.load(ordering: .acquiring) {
                cond.wait(mutex)
            }
            if stopping.load(ordering: .acquiring) {
                mutex.unlock()
                return
            }
            let node = ready[readyHead]
            readyHead += 1
            if readyHead > 1024 && readyHead * 2 > ready.count {
                ready.removeFirst(readyHead)
                readyHead = 0
            }
            running.wrappingIncrement(ordering: .acquiringAndReleasing)
            mutex.unlock()
            // A wakeup whose data an earlier tick already took is not a tick.
            if node.triggerInputs.isEmpty || node.hasInput { node.runTick() }
            node.queued.store(false, ordering: .releasing)
            running.wrappingDecrement(ordering: .acquiringAndReleasing)
            if !node.triggerInputs.isEmpty && node.hasInput { enqueue(node) }
        }
    }

    private func timerLoop() {
        let periodic = nodes.filter { $0.periodNs != nil }
        while !stopping.load(ordering: .acquiring) {
            let now = horus_monotonic_ns()
            var earliest = UInt64.max
            for n in periodic where n.remainingTicks != 0 {
                if n.nextDeadline <= now {
                    if n.queued.load(ordering: .acquiring) {
                        n.stats.misses &+= 1  // previous tick still running: skip this period
                    } else {
                        if let r = n.remainingTicks { n.remainingTicks = r - 1 }
                        enqueue(n)
                    }
                    let period = n.periodNs!
                    n.nextDeadline &+= period
                    if n.nextDeadline <= now {  // fell behind by whole periods: skip them
                        let behind = (now - n.nextDeadline) / period + 1
                        n.stats.misses &+= behind
                        n.nextDeadline &+= behind * period
                    }
                }
                if n.remainingTicks != 0 { earliest = min(earliest, n.nextDeadline) }
            }
            if earliest == UInt64.max { sleepUntil(horus_monotonic_ns() + 20_000_000); continue }
            sleepUntil(min(earliest, horus_monotonic_ns() + 20_000_000))
        }
    }

    private func pollLoop() {
        let triggered = nodes.filter { n in !n.triggerInputs.isEmpty && !blocking.contains(where: { $0 === n }) }
        while !stopping.load(ordering: .acquiring) {
            for n in triggered where !n.queued.load(ordering: .relaxed) && n.hasInput { enqueue(n) }
            sleepUntil(horus_monotonic_ns() + 2_000_000)
        }
    }

    /// Queues `n` when its trigger input gets data from another process: sleeps on the ring's
    /// futex, woken by the publish. While a tick runs, the worker re-queues the node itself.
    private func waitLoop(_ n: ScheduledNode) {
        let port = n.triggerInputs[0]
        while !stopping.load(ordering: .acquiring) {
            if n.queued.load(ordering: .acquiring) { sleepUntil(horus_monotonic_ns() + 500_000); continue }
            if port.waitForPending(timeoutNs: 20_000_000) { enqueue(n) }
        }
    }

    private func sleepUntil(_ deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    private func spawn(_ body: @escaping () -> Void) {
        final class Box { let f: () -> Void; init(_ f: @escaping () -> Void) { self.f = f } }
        var t = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(&t, nil, { arg in
            let b = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            b.f()
            return nil
        }, box)
        threads.append(t)
    }
}
