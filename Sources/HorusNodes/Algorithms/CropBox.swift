/// An axis-aligned box used to keep only points inside it (bounds inclusive).
public struct CropBox: Equatable, Sendable {
    /// Minimum corner (inclusive).
    public var min: SIMD3<Float>
    /// Maximum corner (inclusive).
    public var max: SIMD3<Float>

    /// Creates a crop box; `min` must be <= `max` component-wise.
    public init(min: SIMD3<Float>, max: SIMD3<Float>) {
        precondition(min.x <= max.x && min.y <= max.y && min.z <= max.z, "crop box min must be <= max")
        self.min = min
        self.max = max
    }

    /// Whether `(x, y, z)` lies inside the box (inclusive). NaN coordinates are outside.
    @inline(__always)
    public func contains(_ x: Float, _ y: Float, _ z: Float) -> Bool {
        x >= min.x && x <= max.x && y >= min.y && y <= max.y && z >= min.z && z <= max.z
    }
}
