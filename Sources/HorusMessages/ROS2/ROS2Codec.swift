import HorusMemory

/// The ROS 2 encoding of one horus type, type-erased: its ROS 2 type name, the complete
/// `ros2msg` definition, and CDR encode/decode on plain bytes (used by recordings, and by
/// anything else that puts the type on a ROS 2 wire).
public struct ROS2Codec: @unchecked Sendable {
    /// "sensor_msgs/msg/Image".
    public let typeName: String
    /// The `ros2msg` schema text with its dependencies.
    public let definition: String
    /// Exact CDR size of a message (header included).
    public let encodedSize: (_ message: Any) throws -> Int
    /// Encodes a message into a buffer of at least `encodedSize` bytes, straight from its slot; returns bytes written.
    public let encode: (_ message: Any, _ into: UnsafeMutableRawBufferPointer) throws -> Int
    /// `encode` with the bulk arrays copied by `bulkCopy` (a recorder checksums while copying).
    public let encodeCopying: (_ message: Any, _ into: UnsafeMutableRawBufferPointer, _ bulkCopy: @escaping CDRBulkCopy) throws -> Int
    /// Rebuilds a message (boxed) in `pool` from untrusted CDR bytes: one payload copy into a slot.
    public let decode: (_ bytes: UnsafeRawBufferPointer, _ pool: Pool) throws -> Any

    init<M: ROS2Message>(_: M.Type) {
        typeName = M.ros2TypeName
        definition = ROS2Definitions.fullText(M.ros2TypeName)
        encodedSize = { try Self.cast($0, M.self).cdrSize() }
        encode = { try Self.cast($0, M.self).encodeCDR(into: $1) }
        encodeCopying = { try Self.cast($0, M.self).encodeCDR(into: $1, bulkCopy: $2) }
        decode = { try M.decodeCDR($0, pool: $1) }
    }

    private static func cast<M>(_ m: Any, _: M.Type) throws -> M {
        guard let v = m as? M else { throw CDRError(field: "message", reason: "expected \(M.self), got \(type(of: m))") }
        return v
    }
}
