import NIOCore

/// The binary frames of the Foxglove WebSocket protocol v1 (little-endian).
enum FoxgloveWire {
    static let subprotocol = "foxglove.websocket.v1"
    static let messageDataOpcode: UInt8 = 0x01
    static let timeOpcode: UInt8 = 0x02
    /// opcode u8, subscription id u32, receive timestamp u64.
    static let messageDataHeaderSize = 13
    /// The longest WebSocket frame header a server writes (2 bytes, 8 of length, no mask): the
    /// room left before the Message Data header so that NIO's encoder writes the frame header
    /// in place instead of in a buffer of its own.
    static let frameHeaderRoom = 10
    /// opcode u8, timestamp u64.
    static let timeFrameSize = 9

    /// A Message Data header with `frameHeaderRoom` free bytes before it.
    static func messageDataHeader(_ allocator: ByteBufferAllocator, subscriptionID: UInt32, receiveTimeNs: UInt64) -> ByteBuffer {
        var b = allocator.buffer(capacity: frameHeaderRoom + messageDataHeaderSize)
        b.moveWriterIndex(forwardBy: frameHeaderRoom)
        b.moveReaderIndex(forwardBy: frameHeaderRoom)
        writeMessageDataHeader(into: &b, subscriptionID: subscriptionID, receiveTimeNs: receiveTimeNs)
        return b
    }

    private static func writeMessageDataHeader(into b: inout ByteBuffer, subscriptionID: UInt32, receiveTimeNs: UInt64) {
        b.writeInteger(messageDataOpcode)
        b.writeInteger(subscriptionID, endianness: .little)
        b.writeInteger(receiveTimeNs, endianness: .little)
    }

    static func writeTime(into b: inout ByteBuffer, _ ns: UInt64) {
        b.writeInteger(timeOpcode)
        b.writeInteger(ns, endianness: .little)
    }
}
