/// Size and placement of a 2D grid in the world xy-plane (z up).
///
/// Cell `(col, row)` covers `[originX + col * resolution, originX + (col + 1) * resolution)` in x and
/// `[originY + row * resolution, originY + (row + 1) * resolution)` in y; `(originX, originY)` is the
/// outer corner of cell `(0, 0)`. Cells are stored row-major (`index = row * width + col`), row 0 at
/// `originY` (the lowest y), as in ROS `nav_msgs/OccupancyGrid`.
public struct CostmapGeometry: Equatable, Sendable {
    /// Number of columns (x direction).
    public var width: Int
    /// Number of rows (y direction).
    public var height: Int
    /// Cell edge length in meters.
    public var resolution: Float
    /// World x of the outer corner of cell (0, 0).
    public var originX: Float
    /// World y of the outer corner of cell (0, 0).
    public var originY: Float

    /// Creates a geometry.
    public init(width: Int, height: Int, resolution: Float, originX: Float, originY: Float) {
        precondition(width > 0 && height > 0, "grid size must be positive")
        precondition(resolution > 0 && resolution.isFinite, "resolution must be positive")
        self.width = width
        self.height = height
        self.resolution = resolution
        self.originX = originX
        self.originY = originY
    }

    /// `width * height`.
    public var cellCount: Int { width * height }

    /// Row-major index of the cell containing world `(x, y)`, or nil if outside the grid or NaN.
    @inline(__always)
    public func cellIndex(x: Float, y: Float) -> Int? {
        let fc = (x - originX) / resolution
        let fr = (y - originY) / resolution
        // Non-negative in-range values: truncation equals floor. Same arithmetic as CostmapBuilder.
        guard fc >= 0 && fc < Float(width) && fr >= 0 && fr < Float(height) else { return nil }
        return Int(fr) * width + Int(fc)
    }

    /// World coordinates of the center of cell `(col, row)`.
    public func cellCenter(col: Int, row: Int) -> SIMD2<Float> {
        SIMD2(originX + (Float(col) + 0.5) * resolution, originY + (Float(row) + 0.5) * resolution)
    }
}

/// Cost values used in the grid, matching ROS `costmap_2d`.
public enum CostmapCost {
    /// Observed free space.
    public static let free: UInt8 = 0
    /// Within the inscribed radius of an obstacle (robot center here means collision).
    public static let inscribed: UInt8 = 253
    /// Occupied by an obstacle.
    public static let lethal: UInt8 = 254
    /// Never observed.
    public static let unknown: UInt8 = 255
}
