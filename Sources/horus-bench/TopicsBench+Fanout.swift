import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench topics` 1 -> 3 rows: one publisher process and three subscribers, first
/// as three processes, then as one process serving all three.
///
/// Methodology (4 processes on this machine's cores, 2 on the reference VM): the
/// publisher sleeps between publishes (clock_nanosleep to an absolute time, never a
/// spin), so it takes a core only to publish; the subscribers poll `--fanout-spins`
/// times, then keep polling with sched_yield between polls (`spinThenYield`), so the
/// one that holds a core sees a publish within a cache-line transfer and the others
/// get their turn promptly instead of sleeping in futex. Latency is real
/// CLOCK_MONOTONIC publish stamp -> received in another process. Reported: p50 over
/// every (sample, subscriber) pair, and per sample the fastest, median and slowest of
/// the three subscribers (rank rows), so the subscribers that were off-core are visible.
/// The one-process variant runs as the spin 1:1 rows do (two processes, a core each).
/// All cases of all sizes run in interleaved rounds (`InterleavedRounds`).
extension TopicsBench {
    func fanoutResults(pool: Pool, sizes: [(label: String, bytes: Int, h: Int, w: Int)], count: Int, pace: UInt64,
                       spinPeriod: UInt64) throws -> [BenchResult] {
        let policyName = fanoutPolicy == "spinblock" ? "spinThenBlock" : "spinThenYield"
        // Case 0, the baseline of every 1:3 row: the bare spin hop (one shared word, sender
        // on CPU 0 busy-waiting, receiver on CPU 1), in the same rounds.
        var cases: [InterleavedRounds.Case] = [{ n in
            if pin { Self.pin(cpu: 0) }
            defer { if pin { Self.pin(cpu: nil) } }
            return [try runFutex(pool: pool, count: n, pace: spinPeriod, spinning: true, pacing: .busy)]
        }]
        for size in sizes {
            // Three subscriber processes: series all pairs, then per sample the fastest,
            // median and slowest of the three (ranks need all three per ticket).
            cases.append { n in
                if pin { Self.pin(cpu: nil) }  // four processes on the machine's cores, scheduler's choice
                let perPeer = try runTopicByTicket(pool: pool, size: size, subscribers: 3, policy: fanoutPolicy,
                                                   count: n, pace: pace, pacing: .sleep)
                let all = perPeer.flatMap { $0.compactMap { $0 } }
                var ranks: [[Double]] = [[], [], []]
                for t in 0..<(perPeer.map(\.count).min() ?? 0) {
                    let v = perPeer.compactMap { $0[t] }
                    guard v.count == 3 else { continue }
                    for (r, x) in v.sorted().enumerated() { ranks[r].append(x) }
                }
                return [all] + ranks
            }
            // The same fan-out with the 3 subscribers in one process (one spinning thread
            // serving them in turn), pinned to the core the publisher does not use (publisher on
            // CPU 0, subscriber process on CPU 1) and paced like the 1:1 spin rows: each of the
            // two processes owns a core, the publisher busy-waits between sends. Series: all
            // pairs, then the first, second and third subscriber served.
            cases.append { n in
                if pin { Self.pin(cpu: 0) }
                defer { if pin { Self.pin(cpu: nil) } }
                let grouped = try runTopicByTicket(pool: pool, size: size, subscribers: 3, policy: "spin",
                                                   count: n, pace: spinPeriod, pacing: .busy, grouped: true)
                return [grouped.flatMap { $0.compactMap { $0 } }] + grouped.map { $0.compactMap { $0 } }
            }
        }
        let pooled = try InterleavedRounds(rounds: rounds).run(count: count, cases)
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let hop = pooled[0].stats()
        let hopName = hop == nil ? nil : "bare spin hop"
        var results = [BenchResult]()
        for (k, size) in sizes.enumerated() {
            let processes = pooled[1 + 2 * k], grouped = pooled[2 + 2 * k]
            if let all = processes.stats() {
                results.append(BenchResult(name: "topic 1:3 \(policyName) \(size.label), all pairs", stats: all,
                                           baselineName: hopName, baseline: hop, goal: .p50AtMost(600),
                                           note: "3 subscriber processes, \(policyName)(spins: \(fanoutSpins)); publisher sleeps between publishes (period \(pace / 1000) us); "
                                               + "4 processes on \(cores) cores: at most \(cores - 1) subscribers can hold a core when a message is published; "
                                               + "p50 over all (sample, subscriber) pairs, CLOCK_MONOTONIC publish -> receive across processes; "
                                               + "the others wait for a context switch, so the all-pairs p50 is the median subscriber's and the 600 ns goal needs "
                                               + "more cores than processes (the fastest-rank row is the subscriber that held a core); " + processes.spreadNote))
                for (r, label) in ["fastest", "median", "slowest"].enumerated() {
                    guard let st = processes.stats(1 + r) else { continue }
                    results.append(BenchResult(name: "  1:3 \(size.label): \(label) of the 3 subscribers per sample", stats: st))
                }
            }
            if let all = grouped.stats() {
                results.append(BenchResult(name: "topic 1:3 one subscriber process \(size.label), all pairs", stats: all,
                                           baselineName: hopName, baseline: hop, goal: .p50AtMost(600),
                                           note: "publisher process on CPU 0 (busy-waits between publishes, period \(spinPeriod / 1000) us, as the 1:1 spin rows) -> 3 Subscribers in one other process on CPU 1, "
                                               + "polled in turn by one spinning thread (tryReceive on each); subscriber k's time includes the receives served "
                                               + "before it in the same pass; CLOCK_MONOTONIC publish -> receive across processes; " + grouped.spreadNote))
                for (r, label) in ["first", "second", "third"].enumerated() {
                    guard let st = grouped.stats(1 + r) else { continue }
                    results.append(BenchResult(name: "  1:3 one process \(size.label): \(label) subscriber served", stats: st))
                }
            }
        }
        if let hop {
            results.append(BenchResult(name: "  baseline: bare spin hop, in the 1:3 rounds", stats: hop,
                                       note: "as the spin 1:1 baseline, measured in the same rounds as the 1:3 rows; " + pooled[0].spreadNote))
        }
        return results
    }
}
