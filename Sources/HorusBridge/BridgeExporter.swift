import HorusDDS
import HorusMemory
import HorusMessages
import HorusTopics
import HorusSystem

/// One exported topic: its own cursor on the horus ring (the graph never waits for it) and a DDS
/// writer on `rt/<name>`; each message is serialized by the ROS 2 codec straight from its pool
/// slot into the DDS write loan (the one copy). A topic whose publisher is a bridge importer (another
/// bridge of this namespace brought it from DDS) is never exported: refused at open, or as soon
/// as such a publisher appears (before any of its messages is sent). On reliable QoS a write
/// whose readers leave earlier messages unacknowledged waits at most `DDSQoS.maxBlockingMilliseconds`
/// (the bridge thread waits, never the graph), then the message is a counted drop with the reason.
final class BridgeExporter {
    let spec: BridgeExport
    let writer: DDSWriter
    let tap: RecordTap
    let ros2: ROS2Codec
    private(set) var stats: BridgeTopicStats
    private let minIntervalNs: UInt64
    private var lastSentNs: UInt64 = 0
    private var droppedSeen: UInt64 = 0
    private let ring: TopicInspector
    private var importMarksSeen: UInt32
    /// Why the export stopped (a bridge importer publishes the topic); nil while it runs.
    private(set) var refusal: String?
    private let onRefused: (String) -> Void

    /// Opens the live topic (its type from the ring header) and the writer. Throws
    /// `TopicError.notFound` while no process has created the topic.
    init(spec: BridgeExport, participant: DDSParticipant, onRefused: @escaping (String) -> Void = { _ in }) throws {
        let ring = try TopicInspector(topic: spec.topic)
        importMarksSeen = ring.bridgeImportMarks  // read before the rows: a later mark makes pump rescan
        if let pid = ring.bridgeImporters.first { throw BridgeError(Self.refusal(spec.topic, pid)) }
        self.ring = ring
        self.onRefused = onRefused
        let (codecs, ros2) = try BridgeTypes.codec(ring.typeName, topic: spec.topic)
        // Descriptors are validated against pools attached in this process.
        for name in ring.poolNames { _ = try? Pool.attach(name: name) }
        tap = try codecs.makeTap(spec.topic, ring.capacity)
        let ddsType = BridgeTypes.ddsTypeName(ros2.typeName)
        writer = try participant.writer(topic: BridgeTopicName.dds(spec.topic), typeName: ddsType,
                                        qos: DDSQoS(reliable: spec.qos.reliable, historyDepth: spec.qos.depth))
        self.spec = spec
        self.ros2 = ros2
        stats = BridgeTopicStats(topic: spec.topic, direction: .export, type: ring.typeName, ddsType: ddsType)
        minIntervalNs = spec.qos.rateLimitHz.map { UInt64(1e9 / $0) } ?? 0
    }

    static func refusal(_ topic: String, _ pid: Int32) -> String {
        "export '\(topic)' refused: pid \(pid) publishes it as a bridge importer of \(BridgeTopicName.dds(topic)); exporting it would send DDS samples back to DDS (a loop)"
    }

    /// Sends what the ring holds; returns how many messages were handled.
    func pump(nowNs: UInt64) -> Int {
        guard refusal == nil else { return 0 }
        var handled = 0
        while let sample = tap.next() {
            handled += 1
            // The sample's commit was acquired: a mark its publisher made before publishing is visible.
            if ring.bridgeImportMarks != importMarksSeen {
                importMarksSeen = ring.bridgeImportMarks
                if let pid = ring.bridgeImporters.first {
                    let why = Self.refusal(spec.topic, pid)
                    refusal = why
                    stats.drops += 1
                    stats.lastError = why
                    onRefused(why)
                    return handled
                }
            }
            guard let message = sample.message else { continue }
            if minIntervalNs > 0, lastSentNs != 0, nowNs &- lastSentNs < minIntervalNs {
                stats.rateLimited += 1
                continue
            }
            do {
                let size = try ros2.encodedSize(message)
                let ros2 = self.ros2
                try writer.write(size: size) { buffer in _ = try ros2.encode(message, buffer) }
                stats.messages += 1
                stats.bytes += UInt64(size)
                lastSentNs = nowNs
            } catch {
                stats.drops += 1
                stats.lastError = "\(error)"
            }
        }
        let lapped = tap.droppedCount
        if lapped != droppedSeen {
            stats.drops += lapped &- droppedSeen
            droppedSeen = lapped
        }
        return handled
    }

    /// Remote readers matched on DDS.
    var matchedReaders: Int { (try? writer.matchedReaders()) ?? 0 }
}
