import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

public struct RecordFormatError: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "bad horus record: \(reason)" }
}

/// One message as it goes into a recording: header bytes and a payload pointing into
/// the pool slot (kept alive by `owner`), plus its timestamp.
public struct RecordedSample {
    public var header: [UInt8]
    public var payload: UnsafeRawBufferPointer
    public var timestampNs: UInt64
    /// Keeps the payload's memory (the slot reference) alive.
    public var owner: Any?
    /// The message itself (set by record taps), for encoders that write it another way (ROS 2 CDR).
    public var message: Any?

    public init(header: [UInt8], payload: UnsafeRawBufferPointer, timestampNs: UInt64, owner: Any?, message: Any? = nil) {
        self.message = message
        self.header = header
        self.payload = payload
        self.timestampNs = timestampNs
        self.owner = owner
    }

    public var byteCount: Int { header.count + payload.count }
}
