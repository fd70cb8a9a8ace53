import Foundation
import HorusGraph
import HorusMessages
import HorusNodes
import HorusRecord
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// The ROS 2 figures of `horus-bench record`: recording camera_to_costmap's topics as
/// ros2/cdr next to the horus encoding (same messages, interleaved runs), replay --fast of a
/// 640x480 32FC1 depth bag, and CDR encode/decode of a 640x480 rgb8 Image next to a memcpy
/// of its bytes.
enum ROS2Benchmark {
    struct Result {
        var messages = 0
        var ros2Bytes = 0, horusBytes = 0
        var ros2Seconds = 0.0, horusSeconds = 0.0
        var runRatios: [Double] = []
        /// Median thread CPU time ros2 / horus (less disturbed by other processes than wall time).
        var cpuRatio = 0.0
        var bagFrames = 0
        var replayMessagesPerSecond = 0.0
        var encode: Percentiles?, decode: Percentiles?, memcpyEncode: Percentiles?, memcpyDecode: Percentiles?
        var loadAverage = ""

        var costRatio: Double { horusSeconds > 0 ? ros2Seconds / horusSeconds : 0 }

        var formatted: String {
            func mbps(_ b: Int, _ s: Double) -> String { String(format: "%8.0f MB/s", s > 0 ? Double(b) / 1e6 / s : 0) }
            func row(_ name: String, _ p: Percentiles?, _ base: Percentiles?) -> String {
                guard let p, let base else { return "  \(name): not measured" }
                return "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) p50 \(String(format: "%8.0f", p.p50)) ns  p90 \(String(format: "%8.0f", p.p90))  p99 \(String(format: "%8.0f", p.p99))   memcpy p50 \(String(format: "%8.0f", base.p50)) p90 \(String(format: "%8.0f", base.p90)) p99 \(String(format: "%8.0f", base.p99))   ratio p50 \(String(format: "%.2f", p.p50 / base.p50))x p90 \(String(format: "%.2f", p.p90 / base.p90))x p99 \(String(format: "%.2f", p.p99 / base.p99))x (goal <= 1.2x)"
            }
            return """
            ros2: camera_to_costmap topics, \(messages) messages per run, interleaved runs (medians)
              horus encoding    \(mbps(horusBytes, horusSeconds))  (\(String(format: "%.1f", Double(horusBytes) / 1e6)) MB in \(String(format: "%.3f", horusSeconds)) s)
              ros2/cdr          \(mbps(ros2Bytes, ros2Seconds))  (\(String(format: "%.1f", Double(ros2Bytes) / 1e6)) MB in \(String(format: "%.3f", ros2Seconds)) s)
              cost ros2 / horus \(String(format: "%.2f", costRatio))x time for the same messages (goal <= 1.1x), CPU-time ratio \(String(format: "%.2f", cpuRatio))x, per-run \(runRatios.map { String(format: "%.2f", $0) }.joined(separator: " "))
              replay --fast of a 640x480 32FC1 depth bag (\(bagFrames) frames): \(String(format: "%.0f", replayMessagesPerSecond)) msg/s (goal >= 1000)
            CDR of a 640x480 rgb8 Image (921600 data bytes), interleaved with a memcpy of the bytes:
            \(row("encode (slot -> buffer)", encode, memcpyEncode))
            \(row("decode (bytes -> slot)", decode, memcpyDecode))
              load average \(loadAverage) (the machine is shared: figures are indicative)
            """
        }
    }

    static func run(graphPath: String, runs: Int, passes: Int, bagFrames: Int, directory: String?) throws -> Result {
        if getenv("HORUS_NAMESPACE") == nil { setenv("HORUS_NAMESPACE", "r2bench-\(getpid())", 1) }
        let dir = directory ?? NSTemporaryDirectory() + "horus-ros2-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let pool = try Pool.open(name: "r2bench", configuration: PoolConfiguration(classes: [
            .init(slotSize: 4 << 10, slotCount: 256), .init(slotSize: 2 << 20, slotCount: 96), .init(slotSize: 4 << 20, slotCount: 32),
        ], processCapacity: 4))
        var r = Result()

        // Part 1: the graph's own messages (4 frames recorded once), recorded again in both encodings.
        let catalog = try BuiltinNodes.catalog()
        let graph = try GraphLoader.loadValidated(path: graphPath, registry: catalog.registry)
        let seed = dir + "/seed.mcap"
        let seedSummary = try RecordSession.run(graph: graph, catalog: catalog, output: seed, topics: nil, duration: 60, ticks: 4,
                                                encoding: .horus, log: { _ in })
        let topics = seedSummary.topics.map { Recorder.TopicSpec(name: $0.topic, typeName: $0.typeName, capacity: 16) }
        let index = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($0.element.name, $0.offset) })
        var messages: [(Int, Any)] = []
        let source = try RecordingSource(path: seed)
        try source.reader.forEachMessage { m in
            guard let ch = source.channels.first(where: { $0.id == m.channelID }), let i = index[ch.topic],
                  let codecs = MessageCodecRegistry.shared.codecs(topics[i].typeName) else { return }
            messages.append((i, try codecs.horus.decode(m.data, pool)))
        }
        let publish = try topics.map { try MessageCodecRegistry.shared.codecs($0.typeName)!.makePublisher($0.name, 16) }
        var cpu: [RecordEncoding: [Double]] = [:]
        func record(_ encoding: RecordEncoding) throws -> (Int, Double) {
            let path = dir + "/enc-\(encoding).mcap"
            try? FileManager.default.removeItem(atPath: path)
            sync()
            let rec = try Recorder(path: path, topics: topics, encoding: encoding)
            let t0 = Date()
            let c0 = threadCPUSeconds()
            for _ in 0..<passes {
                for (i, m) in messages { try publish[i](m) }
                try rec.drain()
            }
            let s = try rec.stop()
            let t = Date().timeIntervalSince(t0)
            cpu[encoding, default: []].append(threadCPUSeconds() - c0)
            try? FileManager.default.removeItem(atPath: path)
            return (Int(s.bytes), t)
        }
        var ros2Times: [Double] = [], horusTimes: [Double] = []
        for run in 0..<max(1, runs) {
            let order: [RecordEncoding] = run % 2 == 0 ? [.ros2, .horus] : [.horus, .ros2]
            var times: [RecordEncoding: Double] = [:]
            for e in order {
                let (b, t) = try record(e)
                times[e] = t
                if e == .ros2 { r.ros2Bytes = b } else { r.horusBytes = b }
            }
            ros2Times.append(times[.ros2]!)
            horusTimes.append(times[.horus]!)
            r.runRatios.append(times[.ros2]! / times[.horus]!)
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
        r.cpuRatio = median(cpu[.ros2] ?? [0]) / max(median(cpu[.horus] ?? [1]), 1e-9)
        r.ros2Seconds = median(ros2Times)
        r.horusSeconds = median(horusTimes)
        r.messages = messages.count * passes
        messages.removeAll()

        // Part 2: a 640x480 32FC1 depth bag, replayed --fast into a graph (the bag feeds /bench/depth).
        let bag = dir + "/depth_bag/"
        let bagFile = try Rosbag2Directory.prepare(bag)
        do {
            let rec = try Recorder(path: bagFile, topics: [.init(name: "/bench/depth", typeName: "DepthImage", capacity: 8)], encoding: .ros2)
            let pub = try Publisher<DepthImage>(topic: "/bench/depth", capacity: 8)
            let d = try DepthImage(height: 480, width: 640, unit: .meters, pool: pool)
            d.asTensor().withUnsafeMutableBufferPointer(as: Float.self) { for i in $0.indices { $0[i] = Float(i % 1000) * 0.01 } }
            for f in 0..<bagFrames {
                var x = d
                x.timestampNs = UInt64(f + 1) * 33_333_333
                try pub.publish(x)
                try rec.drain()
            }
            try Rosbag2Directory.writeMetadata(bag, summary: try rec.stop())
        }
        let replayGraph = dir + "/replay_graph.yaml"
        try """
        graph: ros2_replay_bench
        nodes:
          - name: camera
            type: bench_source
            outputs: {depth: /bench/depth}
        topics:
          /bench/depth: {type: DepthImage, capacity: 8}
        """.write(toFile: replayGraph, atomically: true, encoding: .utf8)
        var benchCatalog = NodeCatalog()
        try benchCatalog.register(NodeTypeSpec(name: "bench_source", doc: "placeholder source (replaced by replay)",
                                               ports: [.output("depth", .depthImage)], params: [],
                                               defaultTrigger: .periodic(hz: 30)), factory: { BenchSourceNode() })
        let g = try GraphLoader.loadValidated(path: replayGraph, registry: benchCatalog.registry)
        let rs = try Replayer(input: bag, graph: g, catalog: benchCatalog, options: ReplayOptions(fast: true, poolName: "r2bench"), log: { _ in }).run()
        r.bagFrames = bagFrames
        r.replayMessagesPerSecond = rs.messagesPerSecond

        // Part 3: CDR encode / decode of one 640x480 rgb8 Image vs memcpy of its 921600 bytes.
        let img = try Image(height: 480, width: 640, encoding: .rgb8, pool: pool, timestampNs: 1_700_000_000_000_000_000, frameID: "camera")
        for i in 0..<img.nbytes { img.bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let codec = MessageCodecRegistry.shared.codecs("Image")!.ros2!
        let boxed: Any = img
        let size = try codec.encodedSize(boxed)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        let copy = UnsafeMutableRawPointer.allocate(byteCount: img.nbytes, alignment: 64)
        defer { buffer.deallocate(); copy.deallocate() }
        _ = try codec.encode(boxed, buffer)
        let sampler = LatencySampler(samples: 400, batch: 1, warmupCalls: 40)
        let src = UnsafeRawPointer(img.bytes.baseAddress!), n = img.nbytes
        let (enc, m1) = try sampler.measureInterleaved({ blackHole(try codec.encode(boxed, buffer)) }, { memcpy(copy, src, n); blackHole(copy) })
        let encoded = UnsafeRawBufferPointer(buffer)
        let (dec, m2) = try sampler.measureInterleaved({ blackHole(try codec.decode(encoded, pool)) }, { memcpy(copy, encoded.baseAddress!, n); blackHole(copy) })
        r.encode = Percentiles(enc); r.memcpyEncode = Percentiles(m1)
        r.decode = Percentiles(dec); r.memcpyDecode = Percentiles(m2)
        r.loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
        return r
    }
}
