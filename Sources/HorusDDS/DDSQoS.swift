import CHorusDDSAPI

/// The QoS of one bridged endpoint: reliability, KEEP_LAST depth, and (readers) the largest
/// sample accepted from the network.
public struct DDSQoS: Sendable, Equatable {
    public var reliable: Bool
    public var historyDepth: UInt32
    /// Readers drop (and count) larger samples; 0 = the library's default (64 MiB).
    public var maxSampleSize: UInt32

    public init(reliable: Bool = true, historyDepth: UInt32 = 1, maxSampleSize: UInt32 = 0) {
        self.reliable = reliable
        self.historyDepth = historyDepth
        self.maxSampleSize = maxSampleSize
    }

    var c: horus_dds_qos_t {
        var q = horus_dds_qos_t()
        q.reliable = reliable ? 1 : 0
        q.history_depth = historyDepth
        q.max_sample_size = maxSampleSize
        return q
    }
}
