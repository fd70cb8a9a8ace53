import HorusMessages
import HorusSystem
import Foundation
import HorusGraph
import HorusMemory

/// Records topics into an MCAP file (docs/recording-format.md): one channel per topic,
/// one schema per message type, log and publish time from each sample's timestamp.
///
/// The recorder has its own subscription per topic (its own ring cursor), so the graph
/// never waits for it and never drops because of it. Payloads are written straight from
/// the pool slots into the writer's chunk buffer (one copy). In threaded mode (`start`),
/// a drain thread takes samples (holding their slot references) into a bounded queue and
/// a writer thread writes them in order; if the disk cannot keep up, the queue fills, the
/// drain thread stops taking, the rings lap the recorder's cursors and what is lost is
/// counted (`droppedCount`) and reported through `onWarning`. In synchronous mode
/// (`drain()`, used by deterministic replay) the caller writes on its own thread.
public final class Recorder: @unchecked Sendable {
    public struct TopicSpec: Sendable, Hashable {
        public var name: String
        public var typeName: String
        public var capacity: Int?
        public init(name: String, typeName: String, capacity: Int? = nil) {
            self.name = name
            self.typeName = typeName
            self.capacity = capacity
        }
    }

    /// Per-topic counts.
    public struct TopicSummary: Sendable, Equatable {
        public var topic: String
        public var typeName: String
        public var written: UInt64
        public var bytes: UInt64
        public var dropped: UInt64
        /// The channel's schema name ("sensor_msgs/msg/Image", or "horus.Tensor").
        public var schemaName: String = ""
        /// The channel's message encoding ("cdr" or "horus").
        public var messageEncoding: String = ""
    }

    public struct Summary: Sendable, Equatable {
        public var path: String
        public var topics: [TopicSummary]
        /// Log time of the first and the last message written (ns; 0 without messages).
        public var startTime: UInt64 = 0
        public var endTime: UInt64 = 0
        public var messages: UInt64 { topics.reduce(0) { $0 + $1.written } }
        public var bytes: UInt64 { topics.reduce(0) { $0 + $1.bytes } }
        public var dropped: UInt64 { topics.reduce(0) { $0 + $1.dropped } }
    }

    public let path: String
    public let topics: [TopicSpec]
    /// Called (from the recorder's threads) when samples are lost.
    public var onWarning: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(("recorder: " + $0 + "\n").utf8)) }

    private let writer: MCAPWriter
    private let taps: [RecordTap]
    private let channelIDs: [UInt16]
    private var sequences: [UInt32]
    private var written: [UInt64]
    private var writtenBytes: [UInt64]
    private var reportedDrops: [UInt64]
    private let clock: GraphClock?
    /// Per topic: its ROS 2 codec when it is recorded as CDR.
    private let cdrCodecs: [ROS2Codec?]
    private let schemaNames: [String]
    private let messageEncodings: [String]
    private var startTime: UInt64 = .max
    private var endTime: UInt64 = 0

    // Threaded mode.
    private let lock = Mutex()
    private let cond = ConditionVariable()
    private var queue: [(Int, RecordedSample)] = []
    private var queueHead = 0
    private var queuedBytes = 0
    private let maxQueuedBytes: Int
    private let maxQueuedMessages: Int
    private var stopping = false
    private var drainDone = false
    private var threads: [Thread] = []
    private var finished = Semaphore(0)
    private var writeError: Error?
    private var closed = false

    /// Opens `path` and subscribes to `topics` (do this before the graph starts, so no
    /// sample is missed). `clock` stamps samples that carry no timestamp. The queue
    /// bound (bytes and messages) limits how many pool slots the recorder may hold.
    /// `encoding` `.ros2` writes every type that has a ROS 2 message as CDR (the others, and
    /// everything with `.horus`, in the horus format).
    public init(path: String, topics: [TopicSpec], encoding: RecordEncoding = .ros2, chunkSize: Int = 4 << 20, clock: GraphClock? = nil,
                maxQueuedBytes: Int = 64 << 20, maxQueuedMessages: Int = 24, chunkCRC: Bool = true) throws {
        self.path = path
        self.topics = topics
        self.clock = clock
        self.maxQueuedBytes = maxQueuedBytes
        self.maxQueuedMessages = maxQueuedMessages
        let registry = MessageCodecRegistry.shared
        var taps: [RecordTap] = []
        var codecs: [String: MessageCodecs] = [:]
        for t in topics {
            guard let c = registry.codecs(t.typeName) else {
                throw RecordError("topic '\(t.name)': message type '\(t.typeName)' cannot be recorded (recordable: \(registry.typeNames.joined(separator: ", ")))")
            }
            codecs[t.typeName] = c
            taps.append(try c.makeTap(t.name, t.capacity))
        }
        writer = try MCAPWriter(path: path, profile: encoding == .ros2 ? "ros2" : "horus", library: "horus",
                                chunkSize: chunkSize, chunkCRC: chunkCRC)
        var channels = RecordChannels()
        var ids: [UInt16] = []
        var cdr: [ROS2Codec?] = []
        var names: [String] = [], encodings: [String] = []
        for t in topics {
            let c = codecs[t.typeName]!
            let ros2 = encoding == .ros2 ? c.ros2 : nil
            let (channel, schemaName, messageEncoding) = channels.add(topic: t.name, typeName: t.typeName, codecs: c, ros2: ros2, to: writer)
            ids.append(channel)
            cdr.append(ros2)
            names.append(schemaName)
            encodings.append(messageEncoding)
        }
        cdrCodecs = cdr
        schemaNames = names
        messageEncodings = encodings
        self.taps = taps
        channelIDs = ids
        sequences = .init(repeating: 0, count: topics.count)
        written = .init(repeating: 0, count: topics.count)
        writtenBytes = .init(repeating: 0, count: topics.count)
        reportedDrops = .init(repeating: 0, count: topics.count)
    }

    /// Records the topics of `graph` (`topics`, else the graph's `record:` topics, else all).
    public convenience init(path: String, graph: ValidatedGraph, topics: [String]? = nil, encoding: RecordEncoding = .ros2,
                            chunkSize: Int = 4 << 20, clock: GraphClock? = nil) throws {
        let names = topics ?? graph.record?.topics?.map(\.value) ?? graph.topics.map(\.name)
        var specs: [TopicSpec] = []
        for n in names {
            guard let t = graph.topic(n) else { throw RecordError("topic '\(n)' is not in graph '\(graph.name)' (topics: \(graph.topics.map(\.name).joined(separator: ", ")))") }
            specs.append(TopicSpec(name: n, typeName: t.type.rawValue, capacity: t.capacity))
        }
        try self.init(path: path, topics: specs, encoding: encoding, chunkSize: chunkSize, clock: clock)
    }

    deinit { if !closed { _ = try? stop() } }

    /// Samples lost so far (the recorder's subscriptions were lapped).
    public var droppedCount: UInt64 { taps.reduce(0) { $0 + $1.droppedCount } }

    // MARK: - Synchronous mode

    /// Takes every waiting sample (topic order, then stably by timestamp) and writes it.
    /// Returns the number written.
    @discardableResult
    public func drain() throws -> Int {
        var batch: [(Int, RecordedSample)] = []
        for (i, tap) in taps.enumerated() {
            while let s = tap.next() { batch.append((i, s)) }
        }
        sortStable(&batch)
        for (i, s) in batch { try write(i, s) }
        checkDrops()
        return batch.count
    }

    private func sortStable(_ batch: inout [(Int, RecordedSample)]) {
        guard batch.count > 1 else { return }
        let indexed = batch.enumerated().map { ($0.offset, $0.element) }
        batch = indexed.sorted { a, b in
            let ta = a.1.1.timestampNs, tb = b.1.1.timestampNs
            return ta != tb ? ta < tb : a.0 < b.0
        }.map(\.1)
    }

    private func write(_ i: Int, _ s: RecordedSample) throws {
        let t = s.timestampNs != 0 ? s.timestampNs : (clock?.now() ?? 0)
        var bytes = s.byteCount
        if let codec = cdrCodecs[i], let m = s.message {
            // CDR straight from the slot into the chunk buffer (measured first: exact size).
            bytes = try codec.encodedSize(m)
            try writer.write(channel: channelIDs[i], sequence: sequences[i], logTime: t, publishTime: t, payloadLength: bytes) { buffer, copy in
                _ = try withoutActuallyEscaping(copy) { try codec.encodeCopying(m, buffer, $0) }
            }
        } else {
            try s.header.withUnsafeBytes { h in
                try writer.write(channel: channelIDs[i], sequence: sequences[i], logTime: t, publishTime: t,
                                 header: h, payload: s.payload)
            }
        }
        startTime = min(startTime, t)
        endTime = max(endTime, t)
        sequences[i] &+= 1
        written[i] += 1
        writtenBytes[i] += UInt64(bytes)
    }

    private func checkDrops() {
        for (i, tap) in taps.enumerated() {
            let d = tap.droppedCount
            if d > reportedDrops[i] {
                onWarning("disk cannot keep up: lost \(d - reportedDrops[i]) message(s) on \(tap.topic) (\(d) in total)")
                reportedDrops[i] = d
            }
        }
    }

    // MARK: - Threaded mode

    /// Starts the drain and writer threads.
    public func start() {
        // The threads hold the recorder until `stop` ends them (an unowned capture crashed when a
        // thread started after its recorder was released).
        let drainer = Thread { self.drainLoop() }
        drainer.name = "horus-record-drain"
        let w = Thread { self.writeLoop() }
        w.name = "horus-record-write"
        threads = [drainer, w]
        drainer.start()
        w.start()
    }

    private func drainLoop() {
        var idle = 0
        while true {
            lock.lock()
            let stop = stopping
            lock.unlock()
            var batch: [(Int, RecordedSample)] = []
            var batchBytes = 0
            // Take what the queue has room for.
            lock.lock()
            var room = (maxQueuedMessages - (queue.count - queueHead), maxQueuedBytes - queuedBytes)
            lock.unlock()
            for (i, tap) in taps.enumerated() {
                while room.0 > 0 && room.1 > 0, let s = tap.next() {
                    batch.append((i, s))
                    room.0 -= 1
                    room.1 -= s.byteCount
                    batchBytes += s.byteCount
                }
            }
            checkDrops()
            if !batch.isEmpty {
                sortStable(&batch)
                lock.lock()
                queue.append(contentsOf: batch)
                queuedBytes += batchBytes
                cond.broadcast()
                lock.unlock()
                idle = 0
                continue
            }
            if stop {
                // Nothing left that fits; if the queue is full, wait for room, else done.
                if taps.contains(where: { $0.backlog > 0 }) {
                    lock.lock()
                    while queue.count - queueHead >= maxQueuedMessages || queuedBytes >= maxQueuedBytes { cond.wait(lock) }
                    lock.unlock()
                    continue
                }
                break
            }
            // Queue full: wait for the writer; else nothing to take: nap briefly.
            lock.lock()
            if queue.count - queueHead >= maxQueuedMessages || queuedBytes >= maxQueuedBytes {
                cond.wait(lock, timeoutNs: 10_000_000)
                lock.unlock()
            } else {
                lock.unlock()
                idle += 1
                usleep(idle < 100 ? 200 : 1000)
            }
        }
        lock.lock()
        drainDone = true
        cond.broadcast()
        lock.unlock()
    }

    private func writeLoop() {
        while true {
            lock.lock()
            while queueHead == queue.count && !drainDone { cond.wait(lock) }
            if queueHead == queue.count && drainDone { lock.unlock(); break }
            let items = Array(queue[queueHead...])
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
            lock.unlock()
            var freed = 0
            for (i, s) in items {
                if writeError == nil {
                    do { try write(i, s) } catch { writeError = error; onWarning("write failed: \(error)") }
                }
                freed += s.byteCount
            }
            lock.lock()
            queuedBytes -= freed
            cond.broadcast()
            lock.unlock()
        }
        finished.signal()
    }

    /// Stops: takes what is still waiting, writes it, closes the file. Idempotent.
    @discardableResult
    public func stop() throws -> Summary {
        if !closed {
            closed = true
            if !threads.isEmpty {
                lock.lock()
                stopping = true
                cond.broadcast()
                lock.unlock()
                finished.wait()
                threads = []
            } else {
                try drain()
            }
            try writer.close()
            if let e = writeError { throw e }
        }
        return summary
    }

    /// Counts so far.
    public var summary: Summary {
        Summary(path: path, topics: topics.indices.map {
            TopicSummary(topic: topics[$0].name, typeName: topics[$0].typeName, written: written[$0],
                         bytes: writtenBytes[$0], dropped: taps[$0].droppedCount,
                         schemaName: schemaNames[$0], messageEncoding: messageEncodings[$0])
        }, startTime: startTime == .max ? 0 : startTime, endTime: endTime)
    }
}

/// A recording or replay problem, with a readable message.
public struct RecordError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A counting semaphore on the one mutex and condition type.
final class Semaphore: @unchecked Sendable {
    private let lock = Mutex()
    private let cond = ConditionVariable()
    private var value: Int
    init(_ v: Int) { value = v }
    func signal() { lock.withLock { value += 1 }; cond.signal() }
    func wait() { lock.lock(); while value == 0 { cond.wait(lock) }; value -= 1; lock.unlock() }
}
