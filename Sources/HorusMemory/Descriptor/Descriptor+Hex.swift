import Foundation

extension Descriptor {
    /// The 144 bytes as lowercase hex (for logs, command lines and tests).
    public var hexString: String {
        withUnsafeBytes { b in b.map { String(format: "%02x", $0) }.joined() }
    }

    /// Parses `hexString` output; nil unless exactly 288 hex digits.
    public init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count == Self.byteSize * 2 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Self.byteSize)
        for i in 0..<Self.byteSize {
            guard let hi = Self.nibble(chars[2 * i]), let lo = Self.nibble(chars[2 * i + 1]) else { return nil }
            bytes[i] = hi << 4 | lo
        }
        guard let d = bytes.withUnsafeBytes({ Descriptor(bytes: $0) }) else { return nil }
        self = d
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
