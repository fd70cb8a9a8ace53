import Foundation
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// Receives the messages of a live topic whatever its type, for `echo` and `hz`.
///
/// The type comes from the ring header: the four pool-backed types are received with a
/// real `Subscriber` (zero-copy views, validated descriptors); plain structs, whose Swift
/// type this tool does not know, are read passively from the read-only mapping.
struct TopicTap {
    let ring: TopicInspector

    /// The live topic `topic`, or an error naming the live topics.
    init(topic: String) throws {
        do { ring = try TopicInspector(topic: topic) } catch TopicError.notFound {
            let live = TopicInspector.scan().topics.map(\.topic)
            throw ExitCodeError.topic("no live topic '\(topic)' in namespace \(HorusNamespace.current)"
                + (live.isEmpty ? " (no topics)" : " (topics: \(live.joined(separator: ", ")))"))
        } catch {
            throw ExitCodeError.topic("cannot read topic '\(topic)': \(error)")
        }
    }

    /// Calls `body(arrivalNs, summary)` for every message until it returns false, `until`
    /// returns true, or a stop signal arrives. `summarize` false skips building summaries.
    func run(summarize: Bool, until: () -> Bool = { false }, _ body: (UInt64, String?) -> Bool) throws {
        let stop = { StopSignal.requested || until() }
        switch (ring.typeName, ring.isPoolBacked) {
        case ("Image", true): try receive(Image.self, summarize ? MessageSummary.image : nil, stop, body)
        case ("DepthImage", true): try receive(DepthImage.self, summarize ? MessageSummary.depth : nil, stop, body)
        case ("PointCloud", true): try receive(PointCloud.self, summarize ? MessageSummary.cloud : nil, stop, body)
        case ("Tensor", true): try receive(Tensor.self, summarize ? MessageSummary.tensor : nil, stop, body)
        case (_, false): passive(summarize: summarize, stop, body)
        case (let other, true):
            throw ExitCodeError.topic("topic '\(ring.topic)' carries pool-backed type '\(other)', which this tool cannot decode")
        }
    }

    private func receive<M: TopicMessage>(_: M.Type, _ summary: ((M) -> String)?, _ stop: () -> Bool,
                                          _ body: (UInt64, String?) -> Bool) throws {
        try messages(M.self, stop: stop) { now, m in body(now, summary?(m)) }
    }

    /// Calls `body(arrivalNs, message)` for every message of the topic, received as `M`
    /// (which must be the ring's type), until it returns false or `stop` returns true.
    func messages<M: TopicMessage>(_: M.Type, stop: () -> Bool, _ body: (UInt64, M) -> Bool) throws {
        let sub: Subscriber<M>
        do { sub = try Subscriber<M>(topic: ring.topic, capacity: ring.capacity, waitPolicy: .block) } catch {
            throw ExitCodeError.topic("cannot subscribe to '\(ring.topic)': \(error)")
        }
        // Subscribers validate descriptors against pools attached in this process, so
        // attach every pool the topic's publishers recorded (again after a rejection, in
        // case a publisher with a new pool appeared).
        var attached = Set<String>()
        func attachPools() {
            for name in ring.poolNames where !attached.contains(name) {
                if (try? Pool.attach(name: name)) != nil { attached.insert(name) }
            }
        }
        attachPools()
        var reportedRejections: UInt64 = 0
        while !stop() {
            let received = sub.receive(timeout: 0.1)
            if sub.rejectedCount > reportedRejections, ring.poolNames.contains(where: { !attached.contains($0) }) {
                attachPools()
                reportedRejections = sub.rejectedCount
            } else if sub.rejectedCount > reportedRejections {
                Console.errLine("horus-run: \(sub.rejectedCount - reportedRejections) message(s) refused on '\(ring.topic)': \(sub.lastRejection.map { "\($0)" } ?? "?")")
                reportedRejections = sub.rejectedCount
            }
            guard let m = received else { continue }
            let now = DispatchTime.now().uptimeNanoseconds
            if !body(now, m) { return }
        }
    }

    private func passive(summarize: Bool, _ stop: () -> Bool, _ body: (UInt64, String?) -> Bool) {
        var cursor = ring.publishedCount
        while !stop() {
            switch ring.read(ticket: cursor) {
            case .notYet:
                usleep(200)
            case .lapped:
                let w = ring.publishedCount
                cursor = max(cursor + 1, w > UInt64(ring.capacity) ? w - UInt64(ring.capacity) : 0)
            case .message(let bytes):
                cursor += 1
                let now = DispatchTime.now().uptimeNanoseconds
                if !body(now, summarize ? MessageSummary.plain(type: ring.typeName, bytes) : nil) { return }
            }
        }
    }
}
