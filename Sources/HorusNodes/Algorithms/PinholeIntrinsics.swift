import Foundation

/// Pinhole camera intrinsics (no distortion).
///
/// Pixel convention: pixel `(u, v)` (column, row) has its *center* at integer coordinates, so the
/// optical ray through pixel `(u, v)` in the optical frame (x right, y down, z forward) is
/// `((u - cx) / fx, (v - cy) / fy, 1)`. A point `(x, y, z)` in the optical frame projects to
/// `u = fx * x / z + cx`, `v = fy * y / z + cy`.
public struct PinholeIntrinsics: Equatable, Sendable {
    /// Focal length along x, in pixels.
    public var fx: Float
    /// Focal length along y, in pixels.
    public var fy: Float
    /// Principal point column, in pixels.
    public var cx: Float
    /// Principal point row, in pixels.
    public var cy: Float
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int

    /// Creates intrinsics from explicit values.
    public init(fx: Float, fy: Float, cx: Float, cy: Float, width: Int, height: Int) {
        precondition(width > 0 && height > 0, "image size must be positive")
        precondition(fx > 0 && fy > 0, "focal lengths must be positive")
        self.fx = fx
        self.fy = fy
        self.cx = cx
        self.cy = cy
        self.width = width
        self.height = height
    }

    /// Square-pixel intrinsics for a horizontal field of view given in radians.
    ///
    /// `fx = fy = (width / 2) / tan(hfov / 2)`; the principal point is the exact image center
    /// `cx = (width - 1) / 2`, `cy = (height - 1) / 2` (pixel centers at integers, see type docs).
    public static func fromHorizontalFOV(_ hfovRadians: Float, width: Int, height: Int) -> PinholeIntrinsics {
        precondition(hfovRadians > 0 && hfovRadians < .pi, "horizontal FOV must be in (0, pi)")
        let f = Float(width) * 0.5 / tanf(hfovRadians * 0.5)
        return PinholeIntrinsics(
            fx: f, fy: f,
            cx: Float(width - 1) * 0.5, cy: Float(height - 1) * 0.5,
            width: width, height: height)
    }

    /// Same as ``fromHorizontalFOV(_:width:height:)`` with the angle in degrees.
    public static func fromHorizontalFOV(degrees: Float, width: Int, height: Int) -> PinholeIntrinsics {
        fromHorizontalFOV(degrees * .pi / 180, width: width, height: height)
    }

    /// Number of pixels, `width * height`.
    public var pixelCount: Int { width * height }

    /// Vertical field of view in radians implied by `fy` and `height`.
    public var verticalFOV: Float { 2 * atanf(Float(height) * 0.5 / fy) }

    /// Horizontal field of view in radians implied by `fx` and `width`.
    public var horizontalFOV: Float { 2 * atanf(Float(width) * 0.5 / fx) }
}
