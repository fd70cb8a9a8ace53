/// Memory layout of a point in a flat `Float` point buffer.
///
/// - `xyz`: 3 floats per point, `x, y, z` (meters).
/// - `xyzrgb`: 4 floats per point, `x, y, z, rgb`, where `rgb` is **not a number** but the bit
///   pattern of a `UInt32` `0x00RRGGBB` stored in a `Float` (`Float(bitPattern:)`), the PCL/ROS
///   `PointXYZRGB` convention. Read it back with ``PointLayout/unpackRGB(_:)``. The top byte is 0,
///   so the pattern is never NaN or infinite, but it must only be copied, never used in arithmetic.
public enum PointLayout: Int, Equatable, Sendable {
    /// x, y, z.
    case xyz = 3
    /// x, y, z, packed rgb.
    case xyzrgb = 4

    /// Floats per point (3 or 4).
    @inline(__always)
    public var floatsPerPoint: Int { rawValue }

    /// Packs 8-bit channels into the float bit pattern of `0x00RRGGBB`.
    @inline(__always)
    public static func packRGB(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Float {
        Float(bitPattern: UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
    }

    /// Unpacks the float bit pattern of `0x00RRGGBB` into 8-bit channels.
    @inline(__always)
    public static func unpackRGB(_ f: Float) -> RGB8 {
        let u = f.bitPattern
        return RGB8(UInt8(truncatingIfNeeded: u >> 16), UInt8(truncatingIfNeeded: u >> 8), UInt8(truncatingIfNeeded: u))
    }
}
