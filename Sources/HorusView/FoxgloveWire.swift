import NIOCore

/// The binary frames of the Foxglove WebSocket protocol v1 (little-endian).
enum FoxgloveWire {
    static let subprotocol = "foxglove.websocket.v1"
    static let messageDataOpcode: UInt8 = 0x01
    static let timeOpcode: UInt8 = 0x02
    /// opcode u8, subscription id u32, receive timestamp u64.
    static let messageDataHeaderSize = 13
    /// opcode u8, timestamp u64.
    static let timeFrameSize = 9

    static func writeMessageDataHeader(into b: inout ByteBuffer, subscriptionID: UInt32, receiveTimeNs: UInt64) {
        b.writeInteger(messageDataOpcode)
        b.writeInteger(subscriptionID, endianness: .little)
        b.writeInteger(receiveTimeNs, endianness: .little)
    }

    static func writeTime(into b: inout ByteBuffer, _ ns: UInt64) {
        b.writeInteger(timeOpcode)
        b.writeInteger(ns, endianness: .little)
    }
}
