import HorusMemory

/// A message that carries the time its data was captured; the runner measures latency
/// from it (time of publish minus timestamp) and nodes propagate it downstream.
public protocol TimestampedMessage {
    var timestampNs: UInt64 { get }
}

extension Image: TimestampedMessage {}
extension DepthImage: TimestampedMessage {}
extension PointCloud: TimestampedMessage {}
