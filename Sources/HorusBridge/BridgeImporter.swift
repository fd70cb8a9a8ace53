import HorusDDS
import HorusMemory
import HorusMessages
import HorusTopics

/// One imported topic: a DDS reader on `rt/<name>` and a horus publisher of the topic's type.
/// Each sample is validated and decoded by the ROS 2 codec straight from the DDS loan into a
/// fresh pool slot (the one copy); local subscribers then read it zero-copy. On reliable QoS the
/// reader holds at most `depth` untaken samples and refuses more without acknowledging them, so a
/// late bridge thread makes the remote writer resend (or count a drop) instead of losing silently.
final class BridgeImporter {
    let spec: BridgeImport
    let reader: DDSReader
    let ros2: ROS2Codec
    let pool: Pool
    let publish: (Any) throws -> Void
    private(set) var stats: BridgeTopicStats
    private var dropsSeen: UInt64 = 0

    init(spec: BridgeImport, participant: DDSParticipant, pool: Pool) throws {
        let (codecs, ros2) = try BridgeTypes.codec(spec.type, topic: spec.topic)
        let ddsType = BridgeTypes.ddsTypeName(ros2.typeName)
        reader = try participant.reader(topic: BridgeTopicName.dds(spec.topic), typeName: ddsType,
                                        qos: DDSQoS(reliable: spec.qos.reliable, historyDepth: spec.qos.depth))
        publish = try codecs.makePublisher(spec.topic, nil)
        try TopicRing.markBridgeImport(topic: spec.topic)  // before the first publish: never exported back
        self.spec = spec
        self.ros2 = ros2
        self.pool = pool
        stats = BridgeTopicStats(topic: spec.topic, direction: .import, type: spec.type, ddsType: ddsType)
    }

    /// Takes and publishes what DDS holds; returns how many samples were handled.
    func pump() -> Int {
        var handled = 0
        let ros2 = self.ros2, pool = self.pool, publish = self.publish
        do {
            handled = try reader.take(max: 64) { bytes, _ in
                let message: Any
                do { message = try ros2.decode(bytes, pool) } catch {
                    stats.undecodable += 1
                    stats.lastError = "\(error)"
                    return
                }
                do {
                    try publish(message)
                    stats.messages += 1
                    stats.bytes += UInt64(bytes.count)
                } catch {
                    stats.drops += 1
                    stats.lastError = "\(error)"
                }
            }
        } catch {
            stats.drops += 1
            stats.lastError = "\(error)"
        }
        return handled
    }

    /// Folds the reader's DDS counters (lost, rejected on arrival) into `drops`.
    func refreshCounters() {
        guard let s = try? reader.stats() else { return }
        let total = s.lost &+ s.rejected
        if total != dropsSeen {
            stats.drops += total &- dropsSeen
            dropsSeen = total
        }
    }

    var matchedWriters: Int { (try? reader.stats().matchedWriters) ?? 0 }
}
