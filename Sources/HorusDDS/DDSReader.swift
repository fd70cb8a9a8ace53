import CHorusDDSAPI

/// Takes serialized samples (encapsulation header included) of one DDS topic; the bytes are
/// lent for the duration of the `take` closure (the one copy DDS made from the network).
public final class DDSReader: @unchecked Sendable {
    public let participant: DDSParticipant
    public let topic: String
    let handle: OpaquePointer
    private var api: UnsafePointer<horus_dds_api_t> { participant.library.api }
    private var batch: UnsafeMutablePointer<horus_dds_sample_t>
    private static let batchSize = 16

    init(participant: DDSParticipant, handle: OpaquePointer, topic: String) {
        self.participant = participant
        self.handle = handle
        self.topic = topic
        batch = .allocate(capacity: Self.batchSize)
    }

    deinit {
        api.pointee.reader_delete(handle)
        batch.deallocate()
    }

    /// Waits until a sample is available; false when `timeoutNanoseconds` passed first.
    public func wait(timeoutNanoseconds: Int64) throws -> Bool {
        let rc = api.pointee.reader_wait(handle, timeoutNanoseconds)
        if rc == Int32(HORUS_DDS_ETIMEOUT) { return false }
        try participant.library.check(rc)
        return true
    }

    /// Takes up to `max` samples, calling `body` with each one's bytes and source timestamp
    /// (ns); returns how many were taken. The bytes must not be kept after `body` returns.
    @discardableResult
    public func take(max: Int = 16, _ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws -> Int {
        var total = 0
        while total < max {
            let want = Swift.min(max - total, Self.batchSize)
            let n = api.pointee.take(handle, batch, UInt32(want))
            if n < 0 { throw participant.library.error(n) }
            var failure: Error?
            for i in 0..<Int(n) {
                let s = batch[i]
                if failure == nil {
                    do { try body(UnsafeRawBufferPointer(start: s.data, count: Int(s.size)), s.source_timestamp_ns) } catch { failure = error }
                }
                api.pointee.return_loan(s.loan)
            }
            if let failure { throw failure }
            total += Int(n)
            if Int(n) < want { break }
        }
        return total
    }

    /// Samples rejected on arrival (bad size or encapsulation), DDS-lost samples, matched writers.
    public func stats() throws -> DDSReaderStats {
        var s = horus_dds_reader_stats_t()
        try participant.library.check(api.pointee.reader_stats(handle, &s))
        return DDSReaderStats(rejected: s.rejected, lost: s.lost, matchedWriters: Int(s.matched_writers))
    }
}

/// Counters of a `DDSReader` since it was created.
public struct DDSReaderStats: Sendable, Equatable {
    /// Samples dropped on arrival: larger than the QoS limit, shorter than 4 bytes, or not plain CDR.
    /// Counted per (topic type name, size limit) in the process.
    public let rejected: UInt64
    public let lost: UInt64
    public let matchedWriters: Int
}
