/// A depth pixel type that ``DepthUnprojector`` can read: float32 meters or uint16 scaled units.
public protocol DepthSample {
    /// Converts a raw sample to meters (`scale` is meters per unit; ignored for `Float`).
    static func meters(_ raw: Self, scale: Float) -> Float
}

extension Float: DepthSample {
    /// Float depth is already in meters; `scale` is ignored.
    @inline(__always)
    public static func meters(_ raw: Float, scale: Float) -> Float { raw }
}

extension UInt16: DepthSample {
    /// `raw * scale`, e.g. `scale = 0.001` for millimeters.
    @inline(__always)
    public static func meters(_ raw: UInt16, scale: Float) -> Float { Float(raw) * scale }
}
