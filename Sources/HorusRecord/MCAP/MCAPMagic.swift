/// The eight magic bytes that begin and end every MCAP file (major version "0").
public enum MCAPMagic {
    /// `0x89 M C A P 0 \r \n`.
    public static let bytes: [UInt8] = [0x89, 0x4D, 0x43, 0x41, 0x50, 0x30, 0x0D, 0x0A]

    /// True when `buffer` holds the magic at `offset` (bounds-checked).
    static func matches(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, buffer.count - offset >= bytes.count else { return false }
        for i in 0..<bytes.count where buffer[offset + i] != bytes[i] { return false }
        return true
    }
}
