/// CRC-32 (IEEE 802.3 / zlib polynomial 0xEDB88320) used for chunk, data-section and summary checksums.
///
/// Slicing-by-8 implementation; `update` can be chained to checksum data in pieces.
public enum MCAPCRC32 {
    /// Eight 256-entry tables laid out back to back; table k extends table k-1 by one zero byte.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        return t
    }()

    /// Checksum of `bytes` alone.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }

    /// Checksum of a byte array (convenience for small inputs and tests).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a running checksum `crc` (0 to start) over `bytes`.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        let n = bytes.count
        var c = ~crc
        tables.withUnsafeBufferPointer { t in
            var p = 0
            while n - p >= 8 {
                let lo = base.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian ^ c
                let hi = base.loadUnaligned(fromByteOffset: p + 4, as: UInt32.self).littleEndian
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
            }
            while p < n {
                let b = UInt32(base.load(fromByteOffset: p, as: UInt8.self))
                c = t[Int((c ^ b) & 0xFF)] ^ (c >> 8)
                p += 1
            }
        }
        return ~c
    }
}
