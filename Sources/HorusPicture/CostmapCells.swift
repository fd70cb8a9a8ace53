/// A costmap's cells and geometry as plain values, so this module draws any grid
/// (horus `Costmap`, a recording's payload) without depending on the message type.
/// Cells are row-major, row 0 at `originY` (the lowest y), as in `nav_msgs/OccupancyGrid`.
public struct CostmapCells {
    public var width: Int
    public var height: Int
    /// Cell edge length in meters.
    public var resolution: Float
    /// World x, y of the outer corner of cell (0, 0).
    public var originX: Float
    public var originY: Float
    /// `width * height` costs: 0 free ... 252 inflated, 253 inscribed, 254 lethal, 255 unknown.
    public var cells: UnsafeRawBufferPointer

    public init(width: Int, height: Int, resolution: Float, originX: Float, originY: Float, cells: UnsafeRawBufferPointer) {
        self.width = width
        self.height = height
        self.resolution = resolution
        self.originX = originX
        self.originY = originY
        self.cells = cells
    }

    /// Checks sizes, resolution and origin; throws naming the bad field.
    func validate() throws {
        guard width > 0, height > 0 else { throw PictureError("costmap size \(width)x\(height) has no cells") }
        guard resolution > 0, resolution.isFinite else { throw PictureError("costmap resolution \(resolution) must be a positive number") }
        guard originX.isFinite, originY.isFinite else { throw PictureError("costmap origin (\(originX), \(originY)) is not finite") }
        let (n, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, cells.count >= n else { throw PictureError("costmap \(width)x\(height) needs \(n) cells, got \(cells.count)") }
    }
}
