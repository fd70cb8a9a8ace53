import CHorusDDSAPI

/// Sleeps until any attached reader has data or another thread calls `wake`: one thread can
/// wait for several DDS topics and for events of its own (a horus topic published) at once.
public final class DDSWaitSet: @unchecked Sendable {
    public let participant: DDSParticipant
    let handle: OpaquePointer
    private var api: UnsafePointer<horus_dds_api_t> { participant.library.api }

    public init(participant: DDSParticipant) throws {
        let library = participant.library
        var out: OpaquePointer?
        try library.check(library.api.pointee.waitset_create(participant.handle, &out))
        self.participant = participant
        handle = out!
    }

    deinit { api.pointee.waitset_delete(handle) }

    /// Wakes the waitset when `reader` (of the same participant) has data.
    public func attach(_ reader: DDSReader) throws {
        try participant.library.check(api.pointee.waitset_attach(handle, reader.handle))
    }

    /// Makes the current or next `wait` return (any thread).
    public func wake() {
        _ = api.pointee.waitset_wake(handle)
    }

    /// Waits for data on an attached reader or a `wake`; false when `timeoutNanoseconds` passed first.
    /// A wake is consumed on return, so one made while the caller works makes the next wait return at once.
    public func wait(timeoutNanoseconds: Int64) throws -> Bool {
        let rc = api.pointee.waitset_wait(handle, timeoutNanoseconds)
        if rc == Int32(HORUS_DDS_ETIMEOUT) { return false }
        try participant.library.check(rc)
        return true
    }
}
