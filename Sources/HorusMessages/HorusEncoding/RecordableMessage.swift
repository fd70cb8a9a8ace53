import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// A message type that can be recorded and replayed.
public protocol RecordableMessage: TopicMessage {
    /// The schema document (JSON) describing the recorded bytes.
    static var recordSchema: String { get }
    /// The message as header + payload (the payload points into the slot, no copy).
    func recordedSample() -> RecordedSample
    /// Rebuilds a message (in `pool`) from recorded bytes.
    static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> Self
}

/// Keeps a contiguous copy of a strided tensor alive.
final class ContiguousCopy {
    let bytes: UnsafeMutableRawPointer
    init(_ t: Tensor) {
        bytes = .allocate(byteCount: max(1, t.nbytes), alignment: 16)
        RecordFormat.copyContiguous(t, into: bytes)
    }
    deinit { bytes.deallocate() }
}

extension PoolBackedMessage {
    /// Header from the descriptor, payload straight from the slot (or a contiguous copy of a strided view).
    public func poolRecordedSample(kind: RecordFormat.Kind) -> RecordedSample {
        let t = asTensor()
        let d = descriptor()
        let timestampNs = d.timestampNs
        let h = RecordFormat.Header(kind: kind.rawValue, dtype: t.dtype, shape: Array(t.shape), encoding: d.raw.encoding,
                                    timestampNs: timestampNs, frameID: d.frameID)
        if t.isContiguous {
            return RecordedSample(header: h.encoded(), payload: UnsafeRawBufferPointer(start: t.baseAddress, count: t.nbytes),
                                  timestampNs: timestampNs, owner: self)
        }
        let c = ContiguousCopy(t)
        return RecordedSample(header: h.encoded(), payload: UnsafeRawBufferPointer(start: c.bytes, count: t.nbytes),
                              timestampNs: timestampNs, owner: c)
    }
}

/// Plain structs record as their bytes; conformers list their fields for the schema.
public protocol PlainRecordableMessage: PlainMessage, RecordableMessage {
    static var recordFields: [(name: String, offset: Int, dtype: DType)] { get }
}


extension PlainRecordableMessage {
    public static var recordSchema: String { RecordFormat.plainSchema(typeName: topicTypeName, size: wireSize, fields: recordFields) }
    public func recordedSample() -> RecordedSample {
        var b = [UInt8](repeating: 0, count: Self.wireSize)
        b.withUnsafeMutableBytes { writeWire(to: $0.baseAddress!) }
        let ts = (self as? TimestampedMessage)?.timestampNs ?? 0
        return RecordedSample(header: b, payload: UnsafeRawBufferPointer(start: nil, count: 0), timestampNs: ts, owner: self)
    }
    public static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> Self {
        guard bytes.count == wireSize else { throw RecordFormatError(reason: "\(topicTypeName) record of \(bytes.count) bytes, expected \(wireSize)") }
        return try readWire(bytes.baseAddress!)
    }
}
