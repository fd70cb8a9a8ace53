import Foundation
import HorusGraph
import HorusNodes
import HorusRecord
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// Recording and replay throughput (for `horus-bench record`).
enum RecordBenchmark {
struct Result: Sendable {
        /// Bytes recorded (headers + payloads).
        public var bytes: Int
        public var messages: Int
        /// Recorder: subscription, one copy into the chunk buffer, CRC, write(2) per chunk.
        public var recordMBps: Double
        /// The same with chunk CRCs off (`chunkCRC: false`).
        public var recordNoCRCMBps: Double
        /// Plain sequential write(2) of the same header and payload bytes, no MCAP.
        public var plainWriteMBps: Double
        public var ratio: Double { plainWriteMBps > 0 ? recordMBps / plainWriteMBps : 0 }
        /// Replay --fast of the recording into a graph without consumers (read, copy into a slot, publish).
        public var replayMessagesPerSecond: Double
        public var replayMBps: Double
        public var lost: UInt64
        public var directory: String
        /// Number of interleaved runs; the MB/s figures are medians over them.
        public var runs: Int = 1
        /// Per run: recorder MB/s / plain write MB/s.
        public var ratios: [Double] = []
        public var crcAccelerated = false
        /// 1, 5, 15 minute load averages at the end.
        public var loadAverage = ""
        /// Both the recorder's and the plain write's times include fsync(2).
        public var fsync = false
        /// Plain write's CPU time / the recorder's CPU time (medians; the thread's user + system time),
        /// which other load on the machine disturbs much less than wall-clock MB/s.
        public var crc32MBps = 0.0
        public var crcImplementation = MCAPCRC32.implementation
        public var cpuRatio = 0.0
        /// Median of the per-run ratios.
        public var medianRatio: Double {
            let s = ratios.sorted()
            return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
        }

        public var formatted: String {
            """
            record: \(messages) messages (640x480 rgb8 + float32 depth), \(String(format: "%.0f", Double(bytes) / 1e6)) MB in \(directory)
              recorder          \(String(format: "%8.0f", recordMBps)) MB/s
              recorder, no CRC  \(String(format: "%8.0f", recordNoCRCMBps)) MB/s   (\(String(format: "%.2f", plainWriteMBps > 0 ? recordNoCRCMBps / plainWriteMBps : 0))x)
              plain write(2)    \(String(format: "%8.0f", plainWriteMBps)) MB/s   (recorder / plain = \(String(format: "%.2f", ratio))x, goal >= 0.8x)
              replay --fast     \(String(format: "%8.0f", replayMessagesPerSecond)) msg/s  (\(String(format: "%.0f", replayMBps)) MB/s)
              lost by recorder  \(lost)
              runs \(runs) (medians\(fsync ? ", both include fsync" : ", no fsync")), median ratio \(String(format: "%.2f", medianRatio))x, CPU-time ratio \(String(format: "%.2f", cpuRatio))x, per-run ratios \(ratios.map { String(format: "%.2f", $0) }.joined(separator: " ")), CRC \(crcImplementation) \(String(format: "%.0f", crc32MBps)) MB/s, load average \(loadAverage)
            """
        }
    }

    /// Records `frames` rgb8 + depth pairs at full speed (publish, then the recorder takes and
    /// writes; repeated), writes the same bytes with plain write(2) in the same run, then
    /// replays the recording with `fast`. Files go to `directory` (default: a temporary dir).
static func run(frames: Int = 300, directory: String? = nil, runs: Int = 5, fsync syncToDisk: Bool = false) throws -> Result {
        if getenv("HORUS_NAMESPACE") == nil { setenv("HORUS_NAMESPACE", "rbench-\(getpid())", 1) }
        let dir = directory ?? NSTemporaryDirectory() + "horus-record-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pool = try Pool.open(name: "recbench", configuration: PoolConfiguration(classes: [
            .init(slotSize: 4 << 10, slotCount: 64), .init(slotSize: 2 << 20, slotCount: 64),
        ], processCapacity: 4))
        var images: [Image] = [], depths: [DepthImage] = []
        for k in 0..<4 {
            let img = try Image(height: 480, width: 640, encoding: .rgb8, pool: pool)
            let b = img.bytes
            for i in 0..<b.count { b[i] = UInt8(truncatingIfNeeded: i &* 31 &+ k) }
            images.append(img)
            let d = try DepthImage(height: 480, width: 640, unit: .meters, pool: pool)
            d.asTensor().withUnsafeMutableBufferPointer(as: Float.self) { for i in $0.indices { $0[i] = Float(i % 1000) * 0.01 + Float(k) } }
            depths.append(d)
        }
        let recPath = dir + "/bench.mcap"
        let pc = try Publisher<Image>(topic: "/bench/color", capacity: 8)
        let pd = try Publisher<DepthImage>(topic: "/bench/depth", capacity: 8)
        // CPU time of this thread for the last variant run (user + system: copy, CRC, write(2) into the page cache).
        var lastCPU = 0.0
        func record(_ path: String, crc: Bool) throws -> (Recorder.Summary, Double) {
            let recorder = try Recorder(path: path, topics: [.init(name: "/bench/color", typeName: "Image", capacity: 8),
                                                             .init(name: "/bench/depth", typeName: "DepthImage", capacity: 8)],
                                        encoding: .horus, chunkCRC: crc)
            let t0 = Date()
            let c0 = threadCPUSeconds()
            for f in 0..<frames {
                var img = images[f % 4], d = depths[f % 4]
                img.timestampNs = UInt64(f + 1) * 33_333_333
                d.timestampNs = img.timestampNs
                try pc.publish(img)
                try pd.publish(d)
                try recorder.drain()
            }
            let summary = try recorder.stop()
            if syncToDisk { let fd = open(path, O_RDONLY); if fd >= 0 { _ = fsync(fd); close(fd) } }
            lastCPU = threadCPUSeconds() - c0
            return (summary, Date().timeIntervalSince(t0))
        }
        // Baseline: the same header + payload bytes, sequential write(2) straight from the slots, no MCAP.
        // Like the recorder: same directory (file system), a fresh file, no fsync.
        let plainPath = dir + "/plain.bin"
        let headerC = images[0].recordedSample().header, headerD = depths[0].recordedSample().header
        func plain() throws -> Double {
            let fd = open(plainPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw RecordError("cannot open \(plainPath)") }
            let t1 = Date()
            let c1 = threadCPUSeconds()
            for f in 0..<frames {
                let sc = images[f % 4].recordedSample(), sd = depths[f % 4].recordedSample()
                for (h, p) in [(headerC, sc.payload), (headerD, sd.payload)] {
                    _ = h.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    var off = 0
                    while off < p.count { let n = write(fd, p.baseAddress! + off, p.count - off); if n <= 0 { break }; off += n }
                }
            }
            if syncToDisk { _ = fsync(fd) }
            close(fd)
            lastCPU = threadCPUSeconds() - c1
            return Date().timeIntervalSince(t1)
        }
        // Interleaved runs (recorder with CRC, without CRC, plain write), medians reported.
        var summary: Recorder.Summary!
        var recordCPU: [Double] = [], plainCPU: [Double] = []
        var recordTimes: [Double] = [], noCRCTimes: [Double] = [], plainTimes: [Double] = [], ratios: [Double] = []
        for run in 0..<max(1, runs) {
            // Rotate the order so page-cache writeback and dirty-page throttling hit each variant alike.
            var rt = 0.0, nt = 0.0, pt = 0.0
            for step in 0..<3 {
                // Start every variant from the same state: no dirty pages of earlier files
                // being written back while it is timed (sync is outside the timing).
                sync()
                switch (run + step) % 3 {
                case 0:
                    try? FileManager.default.removeItem(atPath: recPath)
                    let (s, t) = try record(recPath, crc: true)
                    summary = s
                    rt = t
                    // Keep only the last recording (for the replay below); its dirty pages would disturb the others.
                    if run < max(1, runs) - 1 { try? FileManager.default.removeItem(atPath: recPath) }
                    recordCPU.append(lastCPU)
                case 1:
                    (_, nt) = try record(dir + "/bench-nocrc.mcap", crc: false)
                    try? FileManager.default.removeItem(atPath: dir + "/bench-nocrc.mcap")
                default:
                    try? FileManager.default.removeItem(atPath: plainPath)
                    pt = try plain()
                    plainCPU.append(lastCPU)
                    try? FileManager.default.removeItem(atPath: plainPath)
                }
            }
            recordTimes.append(rt); noCRCTimes.append(nt); plainTimes.append(pt)
            ratios.append(pt / rt)
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
        let recordSeconds = median(recordTimes), noCRCSeconds = median(noCRCTimes), plainSeconds = median(plainTimes)

        // Replay --fast into a graph with no consumers of the replayed topics.
        let graphPath = dir + "/bench_graph.yaml"
        try """
        graph: record_bench
        nodes:
          - name: camera
            type: bench_source
            outputs: {color: /bench/color, depth: /bench/depth}
        topics:
          /bench/color: {type: Image, capacity: 8}
          /bench/depth: {type: DepthImage, capacity: 8}
        record: {output: unused.mcap}
        """.write(toFile: graphPath, atomically: true, encoding: .utf8)
        var catalog = NodeCatalog()
        try catalog.register(NodeTypeSpec(name: "bench_source", doc: "placeholder source (replaced by replay)",
                                          ports: [.output("color", .image), .output("depth", .depthImage)], params: [],
                                          defaultTrigger: .periodic(hz: 30)), factory: { BenchSourceNode() })
        let graph = try GraphLoader.loadValidated(path: graphPath, registry: catalog.registry)
        let replayer = try Replayer(input: recPath, graph: graph, catalog: catalog,
                                    options: ReplayOptions(fast: true, poolName: "recbench"), log: { _ in })
        let rs = try replayer.run()

        // Chunk CRC alone, over one rgb8 frame, many times (cache-warm).
        var crcMBps = 0.0
        do {
            let p = images[0].recordedSample().payload
            var c: UInt32 = 0
            let reps = 400
            let t = Date()
            for _ in 0..<reps { c = MCAPCRC32.update(c, p) }
            crcMBps = Double(p.count * reps) / 1e6 / Date().timeIntervalSince(t)
            if c == 0x1234_5678 { print("") }   // keep the loop
        }
        let bytes = Int(summary.bytes)
        for f in [recPath, plainPath, graphPath] { try? FileManager.default.removeItem(atPath: f) }
        if directory == nil { try? FileManager.default.removeItem(atPath: dir) }
        return Result(bytes: bytes, messages: Int(summary.messages),
                      recordMBps: Double(bytes) / 1e6 / recordSeconds,
                      recordNoCRCMBps: Double(bytes) / 1e6 / noCRCSeconds,
                      plainWriteMBps: Double(bytes) / 1e6 / plainSeconds,
                      replayMessagesPerSecond: rs.messagesPerSecond,
                      replayMBps: rs.wallSeconds > 0 ? Double(bytes) / 1e6 / rs.wallSeconds : 0,
                      lost: summary.dropped, directory: dir, runs: recordTimes.count,
                      ratios: ratios, crcAccelerated: MCAPCRC32.isAccelerated,
                      loadAverage: (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
                          .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?",
                      fsync: syncToDisk,
                      crc32MBps: crcMBps,
                      cpuRatio: median(plainCPU) / max(median(recordCPU), 1e-9))
    }
}

/// User + system CPU time of the calling thread, in seconds.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

final class BenchSourceNode: Node {
    func configure(_ context: NodeContext) throws {}
    func tick(_ context: NodeContext) throws {}
}
