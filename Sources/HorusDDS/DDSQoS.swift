import CHorusDDSAPI

/// The QoS of one bridged endpoint: reliability, history depth, and (readers) the largest
/// sample accepted from the network.
///
/// Best effort is KEEP_LAST `historyDepth`. Reliable is KEEP_ALL holding at most `historyDepth`
/// samples, so no sample is replaced silently: a reader full of untaken samples makes the writer
/// send later, and a write whose readers leave earlier samples unacknowledged for
/// `maxBlockingMilliseconds` throws a `DDSError` with code `timeoutCode` (the sample is not sent).
public struct DDSQoS: Sendable, Equatable {
    public var reliable: Bool
    public var historyDepth: UInt32
    /// How long a reliable write waits for acknowledgements before it gives up (HORUS_DDS_MAX_BLOCKING_MS).
    public static let maxBlockingMilliseconds = Int(HORUS_DDS_MAX_BLOCKING_MS)
    /// `DDSError.code` of a reliable write that was not sent within `maxBlockingMilliseconds`.
    public static let timeoutCode = Int32(HORUS_DDS_ETIMEOUT)
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
