import CHorusDDSAPI

/// Writes serialized samples (4-byte encapsulation header + CDR) on one DDS topic.
public final class DDSWriter: @unchecked Sendable {
    public let participant: DDSParticipant
    public let topic: String
    let handle: OpaquePointer
    private var api: UnsafePointer<horus_dds_api_t> { participant.library.api }

    init(participant: DDSParticipant, handle: OpaquePointer, topic: String) {
        self.participant = participant
        self.handle = handle
        self.topic = topic
    }

    deinit { api.pointee.writer_delete(handle) }

    /// Writes a sample already serialized (copied once into the DDS buffer). A reliable write
    /// waits at most `DDSQoS.maxBlockingMilliseconds` for acknowledgements, then throws
    /// (code `DDSQoS.timeoutCode`, the sample not sent); so does `write(size:_:)`.
    public func write(_ cdr: UnsafeRawBufferPointer) throws {
        guard let base = cdr.baseAddress, cdr.count <= Int(UInt32.max) else {
            throw DDSError(code: Int32(HORUS_DDS_EINVAL), message: "write \(topic): sample of \(cdr.count) bytes")
        }
        try participant.library.check(api.pointee.write(handle, base.assumingMemoryBound(to: UInt8.self), UInt32(cdr.count)))
    }

    /// Writes a sample of `size` bytes serialized by `fill` straight into the DDS buffer (no copy).
    /// If `fill` throws, nothing is sent.
    public func write(size: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        guard size <= Int(UInt32.max) else {
            throw DDSError(code: Int32(HORUS_DDS_EINVAL), message: "write \(topic): sample of \(size) bytes")
        }
        var buffer: UnsafeMutablePointer<UInt8>?
        var loan: UnsafeMutableRawPointer?
        try participant.library.check(api.pointee.write_loan(handle, UInt32(size), &buffer, &loan))
        do {
            try fill(UnsafeMutableRawBufferPointer(start: buffer, count: size))
        } catch {
            api.pointee.write_discard(loan)
            throw error
        }
        try participant.library.check(api.pointee.write_commit(handle, loan))
    }

    /// Remote readers currently matched.
    public func matchedReaders() throws -> Int {
        var n: UInt32 = 0
        try participant.library.check(api.pointee.writer_matched(handle, &n))
        return Int(n)
    }
}
