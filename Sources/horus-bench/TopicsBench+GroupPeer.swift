import CHorus
import HorusMemory
import HorusTopics

/// The grouped 1 -> 3 peer: several subscribers of one topic in one process, polled in
/// turn by one spinning thread (as a node process serving several consumers of one
/// camera topic would). Subscriber k's latency includes the receives of subscribers
/// 0..<k that were served first in the same pass.
extension TopicsPeer {
    /// Polls `group` subscribers of `M` until each consumed every ticket; returns their
    /// per-ticket latencies one subscriber after another (`group` x (total - warmup)),
    /// plus summed drop / reject counts and whether it timed out.
    func pollGroup<M: TopicMessage>(_ type: M.Type, ready: () -> Void,
                                    stamp: (M) throws -> UInt64) throws -> ([Int64], UInt64, UInt64, Int64) {
        let subs = try (0..<group).map { _ in try Subscriber<M>(topic: topic, capacity: 64, waitPolicy: .spin) }
        // Plain locals: the command's @Option properties are ArgumentParser wrappers whose
        // reads look up generic metadata (a lock), far too slow for a polling loop.
        let total = UInt64(self.total), warmup = self.warmup
        let n = Swift.max(0, Int(total) - warmup)
        var byTicket = [Int64](repeating: Peer.missing, count: subs.count * n)
        ready()
        let deadline = horus_monotonic_ns() &+ 60_000_000_000
        var timedOut: Int64 = 0, idle = 0, pending = subs.count
        while pending > 0 {
            var got = false
            pending = 0
            for k in subs.indices {
                let sub = subs[k]
                guard sub.cursor < total else { continue }
                pending += 1
                guard sub.hasPending, let m = sub.tryReceive() else { continue }  // one load per empty poll
                let now = horus_monotonic_ns()
                got = true
                let ticket = Int(sub.cursor) - 1
                if ticket >= warmup { byTicket[k * n + ticket - warmup] = Int64(bitPattern: now &- (try stamp(m))) }
            }
            idle = got ? 0 : idle + 1
            if !got { horus_cpu_relax() }  // as Subscriber.receive's spin does between polls
            if idle & 4095 == 4095 && horus_monotonic_ns() > deadline { timedOut = 1; break }
        }
        return (byTicket, subs.reduce(0) { $0 + $1.droppedCount }, subs.reduce(0) { $0 + $1.rejectedCount }, timedOut)
    }
}
