import HorusMemory

/// A value with a ROS 2 CDR encoding and its ROS 2 type name.
public protocol ROS2Encodable {
    /// "sensor_msgs/msg/Image".
    static var ros2TypeName: String { get }
    /// Writes the message body after the encapsulation header (also used to measure).
    func writeCDR(_ w: inout CDRWriter) throws
}

/// A horus message type with a ROS 2 form. The encoding writes straight from the message
/// (its pool slot) and the decoding copies the payload once into a slot of `pool`.
public protocol ROS2Message: ROS2Encodable {
    /// Reads a message body (the header has been checked) into `pool`.
    static func readCDR(_ r: inout CDRReader, pool: Pool) throws -> Self
}

extension ROS2Encodable {
    /// Exact size of the CDR message, encapsulation header included.
    public func cdrSize() throws -> Int {
        var w = CDRWriter.measuring()
        try w.writeEncapsulation()
        try writeCDR(&w)
        return w.position
    }

    /// Encodes into `buffer` (at least `cdrSize()` bytes); returns the bytes written.
    /// `bulkCopy` copies the bulk arrays (default memcpy).
    public func encodeCDR(into buffer: UnsafeMutableRawBufferPointer, bulkCopy: CDRBulkCopy? = nil) throws -> Int {
        var w = CDRWriter(into: buffer, bulkCopy: bulkCopy)
        try w.writeEncapsulation()
        try writeCDR(&w)
        return w.position
    }

    /// The CDR message as an array (tests, small messages).
    public func cdrBytes() throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: try cdrSize())
        _ = try out.withUnsafeMutableBytes { try encodeCDR(into: $0) }
        return out
    }
}

extension ROS2Message {
    /// Decodes a CDR message (encapsulation header first) from untrusted bytes.
    public static func decodeCDR(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> Self {
        var r = try CDRReader(bytes)
        return try readCDR(&r, pool: pool)
    }
}
