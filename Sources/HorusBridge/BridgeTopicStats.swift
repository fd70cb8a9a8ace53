import Foundation
/// Counters of one bridged topic since the bridge started (owned by the bridge thread; read a copy).
public struct BridgeTopicStats: Sendable, Equatable {
    /// Whether the topic goes horus -> DDS (export) or DDS -> horus (import).
    public enum Direction: String, Sendable { case export, `import` }
    public let topic: String
    public let direction: Direction
    /// The horus type and the DDS type name.
    public let type: String
    public let ddsType: String
    /// Messages sent to DDS (exports) or published into horus (imports), and their CDR bytes.
    public var messages: UInt64 = 0
    public var bytes: UInt64 = 0
    /// Exports: lapped by the publisher, DDS write failed or timed out; imports: DDS-lost or rejected on arrival.
    public var drops: UInt64 = 0
    /// Exports skipped by the rate limit.
    public var rateLimited: UInt64 = 0
    /// Imports whose CDR did not decode (dropped).
    public var undecodable: UInt64 = 0
    /// The last failure, with the field and value the codec or DDS named.
    public var lastError: String?

    init(topic: String, direction: Direction, type: String, ddsType: String) {
        self.topic = topic
        self.direction = direction
        self.type = type
        self.ddsType = ddsType
    }

    /// One status line: rates over `seconds` since `before`.
    public func line(since before: BridgeTopicStats?, seconds: Double) -> String {
        let dm = Double(messages &- (before?.messages ?? 0)), db = Double(bytes &- (before?.bytes ?? 0))
        let rate = seconds > 0 ? dm / seconds : 0, mbs = seconds > 0 ? db / seconds / 1e6 : 0
        var s = "\(direction == .export ? "export" : "import") \(topic) [\(type)] \(String(format: "%.1f", rate)) msg/s \(String(format: "%.2f", mbs)) MB/s"
        s += " msgs=\(messages) drops=\(drops)"
        if direction == .export { s += " rate_limited=\(rateLimited)" } else { s += " undecodable=\(undecodable)" }
        if let lastError { s += " last_error=\"\(lastError)\"" }
        return s
    }
}
