import HorusMemory
import HorusMessages
#if canImport(Glibc)
import Glibc
#endif

/// Recorded ROS 2 CDR messages as horus record bytes (docs/recording-format.md): decoded by
/// the type's codec into a slot of a private pool, then written as a record. What `compare`
/// compares and `snapshot` draws, so both read CDR recordings and rosbag2 directories.
package enum HorusRecordBytes {
    /// A private pool for decoding one recorded sensor message at a time (unlinked with it).
    package static func decodingPool(_ purpose: String) throws -> Pool {
        try Pool.open(name: "\(purpose)-\(getpid())",
                      configuration: PoolConfiguration(classes: [.init(slotSize: 64 << 10, slotCount: 8),
                                                                 .init(slotSize: 8 << 20, slotCount: 4),
                                                                 .init(slotSize: 64 << 20, slotCount: 2)]))
    }

    /// The horus record of untrusted CDR `data`, decoded by the first of `codecs` that accepts
    /// it; throws the last codec's error when none does.
    package static func fromCDR(_ data: UnsafeRawBufferPointer, codecs: [MessageCodecs], pool: Pool) throws -> [UInt8] {
        var failure: Error = RecordError("no ROS 2 codec for this channel")
        for c in codecs {
            guard let ros2 = c.ros2 else { continue }
            do {
                guard let r = try ros2.decode(data, pool) as? any RecordableMessage else { continue }
                let s = r.recordedSample()
                return s.header + Array(s.payload)
            } catch { failure = error }
        }
        throw failure
    }
}
