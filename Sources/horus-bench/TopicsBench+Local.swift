import CHorus
import Foundation
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench topics` rows for topics used inside one process: the shared-memory ring
/// against a process-local topic (`scope: .process`), same API, same messages.
extension TopicsBench {
    func localResults(pool: Pool) throws -> [BenchResult] {
        var results = [BenchResult]()
        let image = try Image(height: 480, width: 640, encoding: .rgb8, pool: pool)
        // Same thread: software cost with every line in this core's cache (no handoff).
        let shmImage = try sameThread(scope: .interprocess, message: image)
        let localImage = try sameThread(scope: .process, message: image)
        results.append(BenchResult(name: "in-process: publish + tryReceive, same thread, shm ring (Image 921,600 B)", stats: shmImage,
                                   note: "descriptor written to the ring, decoded and validated on receive (new slot reference)"))
        results.append(BenchResult(name: "in-process: publish + tryReceive, same thread, scope .process (Image)", stats: localImage,
                                   baselineName: "shm ring, same thread", baseline: shmImage,
                                   note: "the shared ring's entries and code in private memory: no shm object, same descriptor, decode and validation"))
        let pose = BenchPose(x: 1, y: 2, yaw: 3, id: 4)
        let shmPose = try sameThread(scope: .interprocess, message: pose)
        let localPose = try sameThread(scope: .process, message: pose)
        results.append(BenchResult(name: "in-process: publish + tryReceive, same thread, shm ring (24 B struct)", stats: shmPose))
        results.append(BenchResult(name: "in-process: publish + tryReceive, same thread, scope .process (24 B struct)", stats: localPose,
                                   baselineName: "shm ring, same thread", baseline: shmPose))
        // Two threads on two cores: one-way publish -> receive latency, spinning subscriber.
        let shmCross = Percentiles(try crossThread(scope: .interprocess, image: image))
        let localCross = Percentiles(try crossThread(scope: .process, image: image))
        results.append(BenchResult(name: "in-process: spin one-way, thread -> thread, shm ring (Image)", stats: shmCross,
                                   note: "publisher thread on CPU 0 (busy-waits between sends, as the spin 1:1 rows), spinning subscriber thread on CPU 1; CLOCK_MONOTONIC stamp in the image -> received"))
        results.append(BenchResult(name: "in-process: spin one-way, thread -> thread, scope .process (Image)", stats: localCross,
                                   baselineName: "shm ring, thread -> thread", baseline: shmCross))
        return results
    }

    private func sameThread<M: TopicMessage>(scope: TopicScope, message: M) throws -> Percentiles {
        let topic = "bench-same-\(M.topicTypeName)-\(scope)"
        let publisher = try Publisher<M>(topic: topic, capacity: 64, scope: scope)
        let subscriber = try Subscriber<M>(topic: topic, capacity: 64, waitPolicy: .spin, scope: scope)
        var sampler = LatencySampler(samples: 5_000, batch: 64, warmupCalls: 10_000)
        sampler.label = "same-thread publish + tryReceive (\(M.topicTypeName), \(scope))"
        return Percentiles(try sampler.measure {
            try publisher.publish(message)
            blackHole(subscriber.tryReceive())
        })
    }

    /// Publisher on this thread (CPU 0), spinning subscriber on another (CPU 1).
    private func crossThread(scope: TopicScope, image: Image) throws -> [Double] {
        let topic = "bench-cross-\(scope)"
        let publisher = try Publisher<Image>(topic: topic, capacity: 64, scope: scope)
        let subscriber = try Subscriber<Image>(topic: topic, capacity: 64, waitPolicy: .spin, scope: scope)
        let total = samples + warmup, skip = warmup
        Progress.note("thread -> thread, \(scope): \(samples) samples, period \(paceUs) us")
        let out = UnsafeMutablePointer<Int64>.allocate(capacity: total)
        out.initialize(repeating: Peer.missing, count: total)
        defer { out.deallocate() }
        let done = DispatchSemaphore(value: 0)
        let ready = DispatchSemaphore(value: 0)
        let pinThreads = pin
        let sub = subscriber
        nonisolated(unsafe) let results = out
        let thread = Thread {
            if pinThreads { TopicsBench.pin(cpu: 1) }
            ready.signal()
            while sub.cursor < UInt64(total) {
                guard let m = sub.receive(timeout: 3) else { break }
                let now = horus_monotonic_ns()
                results[Int(sub.cursor) - 1] = Int64(bitPattern: now &- m.timestampNs)
            }
            done.signal()
        }
        thread.start()
        ready.wait()
        var frame = image
        let pace = UInt64(paceUs) * 1000
        var next = horus_monotonic_ns() &+ pace
        for _ in 0..<total {
            next = paceUntil(next, pace, .busy)
            frame.timestampNs = horus_monotonic_ns()
            try publisher.publish(frame)
        }
        done.wait()
        let got = (skip..<total).compactMap { out[$0] == Peer.missing ? nil : Double(out[$0]) }
        if got.count < samples { Progress.note("  \(scope): received \(got.count) of \(samples)") }
        guard !got.isEmpty else { throw BenchError("thread -> thread \(scope): nothing received") }
        return got
    }
}

/// A plain message for the in-process rows.
struct BenchPose: PlainMessage {
    static var topicTypeName: String { "BenchPose" }
    var x: Double, y: Double, yaw: Float, id: UInt32
}
