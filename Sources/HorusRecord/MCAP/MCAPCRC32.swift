import CHorus

/// CRC-32 (IEEE 802.3 / zlib polynomial 0xEDB88320) used for chunk, data-section and summary checksums.
///
/// Implemented in C (CHorus `horus_crc32.c`): carry-less-multiplication folding on x86-64
/// CPUs that have it (256-bit VPCLMULQDQ with AVX2, else 128-bit PCLMULQDQ), slicing-by-8
/// tables otherwise and for short tails.
/// `update` can be chained to checksum data in pieces.
public enum MCAPCRC32 {
    /// Checksum of `bytes` alone.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }

    /// Checksum of a byte array (convenience for small inputs and tests).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a running checksum `crc` (0 to start) over `bytes`.
    @inline(__always)
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return horus_crc32_update(crc, base, bytes.count)
    }

    /// Copies `bytes` to `destination` and continues `crc` over them in the same pass.
    @inline(__always)
    public static func copy(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return horus_crc32_copy(crc, destination, base, bytes.count)
    }

    /// True when a carry-less-multiplication path is in use.
    public static var isAccelerated: Bool { horus_crc32_accelerated() != 0 }

    /// The path in use: "VPCLMULQDQ (AVX2)", "PCLMULQDQ" or "tables".
    public static var implementation: String {
        switch horus_crc32_accelerated() {
        case 2: return "VPCLMULQDQ (AVX2)"
        case 1: return "PCLMULQDQ"
        default: return "tables"
        }
    }
}
