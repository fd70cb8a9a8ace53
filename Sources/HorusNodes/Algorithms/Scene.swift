/// An 8-bit RGB color.
public struct RGB8: Equatable, Hashable, Sendable {
    /// Red channel.
    public var r: UInt8
    /// Green channel.
    public var g: UInt8
    /// Blue channel.
    public var b: UInt8

    /// Creates a color.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// The color packed as `0x00RRGGBB`.
    public var packed: UInt32 { UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b) }
}

/// An axis-aligned box in world coordinates (meters).
public struct SceneBox: Equatable, Sendable {
    /// Box center.
    public var center: SIMD3<Float>
    /// Full edge lengths along x, y, z.
    public var size: SIMD3<Float>
    /// Base color (faces are shaded by a fixed directional light).
    public var color: RGB8

    /// Creates a box.
    public init(center: SIMD3<Float>, size: SIMD3<Float>, color: RGB8) {
        self.center = center
        self.size = size
        self.color = color
    }

    /// Minimum corner.
    public var min: SIMD3<Float> { center - size * 0.5 }
    /// Maximum corner.
    public var max: SIMD3<Float> { center + size * 0.5 }

    /// A box standing on the ground plane: footprint centered at `(x, y)`, bottom at `z = 0`.
    public static func standing(x: Float, y: Float, sizeX: Float, sizeY: Float, height: Float, color: RGB8) -> SceneBox {
        SceneBox(center: SIMD3(x, y, height * 0.5), size: SIMD3(sizeX, sizeY, height), color: color)
    }
}

/// A simple synthetic world: an optional checkered ground plane `z = 0` (z up) and axis-aligned boxes.
///
/// The ground checker cell containing world `(x, y)` has color ``groundColorA`` when
/// `floor(x / checkerSize) + floor(y / checkerSize)` is even, otherwise ``groundColorB``.
/// Rays hitting nothing get ``skyColor`` and depth 0.
public struct Scene: Equatable, Sendable {
    /// Whether the ground plane `z = 0` exists.
    public var hasGround: Bool
    /// Edge length of a ground checker square, meters.
    public var checkerSize: Float
    /// Color of even checker squares.
    public var groundColorA: RGB8
    /// Color of odd checker squares.
    public var groundColorB: RGB8
    /// Color of pixels that hit nothing.
    public var skyColor: RGB8
    /// Obstacles.
    public var boxes: [SceneBox]

    /// Creates a scene.
    public init(boxes: [SceneBox] = [], hasGround: Bool = true, checkerSize: Float = 1,
                groundColorA: RGB8 = RGB8(90, 90, 90), groundColorB: RGB8 = RGB8(160, 160, 160),
                skyColor: RGB8 = RGB8(135, 190, 235)) {
        precondition(checkerSize > 0, "checkerSize must be positive")
        self.boxes = boxes
        self.hasGround = hasGround
        self.checkerSize = checkerSize
        self.groundColorA = groundColorA
        self.groundColorB = groundColorB
        self.skyColor = skyColor
    }
}
