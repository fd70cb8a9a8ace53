import HorusMessages
/// Counts reported by ``CostmapBuilder/build(points:pointCount:layout:into:)``.
public struct CostmapBuildResult: Equatable, Sendable {
    /// Points inside the grid with z in the obstacle band.
    public var obstaclePoints: Int
    /// Points inside the grid below the obstacle band (ground).
    public var groundPoints: Int
    /// Number of lethal cells.
    public var lethalCells: Int
}

/// Builds a 2D costmap (ROS `costmap_2d` values) from a point cloud in the world frame (z up).
///
/// 1. Every cell starts unknown (255).
/// 2. Points outside the grid, with NaN or infinite coordinates, or above `maxObstacleZ` are ignored.
///    A point with `minObstacleZ <= z <= maxObstacleZ` marks its cell lethal (254). A point with
///    `z < minObstacleZ` (ground) marks its cell free (0) unless the cell is lethal; lethal always
///    wins regardless of point order. There is **no ray tracing**: a cell is "observed" only if a
///    ground point falls into it, so cells between the sensor and an obstacle stay unknown unless
///    ground points land there (which they do for a depth camera seeing the floor).
/// 3. Inflation (see ``InflationParameters`` for the cost function): each cell gets the cost of its
///    nearest lethal cell's stencil entry, i.e. `max` over lethal cells; costs are never lowered,
///    lethal is never overwritten, and unknown cells reached by the stencil take the inflated cost.
///    The precomputed ``InflationKernel`` is stamped around *boundary* lethal cells only (lethal
///    cells with a non-lethal in-grid 4-neighbor): the nearest lethal cell of any non-lethal cell is
///    always a boundary cell, so interior cells of large obstacles are skipped at no loss.
///
/// Scratch storage is reused; steady-state calls do not allocate. Not thread-safe.
public final class CostmapBuilder {
    /// Grid placement and size.
    public let geometry: CostmapGeometry
    /// Lowest z (meters, world frame) that counts as obstacle; lower points are ground.
    public var minObstacleZ: Float
    /// Highest z (meters) that counts as obstacle; higher points are ignored.
    public var maxObstacleZ: Float
    /// Inflation parameters (fixed at init; the stencil is precomputed).
    public let inflation: InflationParameters
    /// The precomputed inflation stencil.
    public let kernel: InflationKernel

    // Stencil as row spans: row offset, half width (dx in -half...half), start in the cost table.
    private let spanDY: [Int]
    private let spanHalfWidth: [Int]
    private let spanStart: [Int]
    /// Stencil costs + 1 per span cell (center cell = lethal + 1 = 255, a no-op on lethal cells).
    private let spanCostsPlusOne: [UInt8]
    private let spanCount: Int
    private let lethalList: ScratchBuffer<Int32>

    /// Creates a builder and precomputes the inflation stencil.
    public init(geometry: CostmapGeometry, minObstacleZ: Float, maxObstacleZ: Float,
                inflation: InflationParameters) {
        precondition(minObstacleZ <= maxObstacleZ, "minObstacleZ must be <= maxObstacleZ")
        precondition(geometry.cellCount < Int(Int32.max), "grid too large")
        self.geometry = geometry
        self.minObstacleZ = minObstacleZ
        self.maxObstacleZ = maxObstacleZ
        self.inflation = inflation
        let k = InflationKernel(parameters: inflation, resolution: geometry.resolution)
        kernel = k
        // Build row spans from the stencil. For a fixed dy the cost is non-increasing in |dx|, so the
        // cells with cost > 0 form one symmetric contiguous span.
        var dys = [Int](), halves = [Int](), starts = [Int](), costs = [UInt8]()
        var table = [Int: UInt8]()
        for i in 0..<k.count { table[Int(k.dy[i]) * 65_536 + Int(k.dx[i])] = k.cost[i] }
        let rad = k.radiusCells
        if rad > 0 {
            for dy in -rad...rad {
                var half = -1
                for dx in 0...rad where dx == 0 && dy == 0 || table[dy * 65_536 + dx] != nil { half = dx }
                guard half >= 0 else { continue }
                dys.append(dy); halves.append(half); starts.append(costs.count)
                for dx in -half...half {
                    let c: UInt8 = (dx == 0 && dy == 0) ? CostmapCost.lethal : (table[dy * 65_536 + dx] ?? 0)
                    costs.append(c &+ 1)
                }
            }
        }
        spanDY = dys
        spanHalfWidth = halves
        spanStart = starts
        spanCostsPlusOne = costs
        spanCount = dys.count
        lethalList = ScratchBuffer<Int32>(capacity: geometry.cellCount)
    }

    /// Builds the costmap into `grid` (`width * height` bytes, row-major, row 0 at `originY`).
    ///
    /// - Parameters:
    ///   - points: `pointCount * layout.floatsPerPoint` floats, xyz first (any extra channel ignored).
    ///   - pointCount: defaults to `points.count / layout.floatsPerPoint`.
    @discardableResult
    public func build(points: UnsafeBufferPointer<Float>, pointCount: Int? = nil, layout: PointLayout = .xyz,
                      into grid: UnsafeMutableBufferPointer<UInt8>) -> CostmapBuildResult {
        let w = geometry.width, h = geometry.height, cells = geometry.cellCount
        precondition(grid.count >= cells, "grid buffer too small")
        let fpp = layout.floatsPerPoint
        let n = pointCount ?? points.count / fpp
        precondition(n >= 0 && points.count >= n * fpp, "point buffer too small")
        guard let g = grid.baseAddress else { return CostmapBuildResult(obstaclePoints: 0, groundPoints: 0, lethalCells: 0) }
        g.update(repeating: CostmapCost.unknown, count: cells)

        // Mark obstacles and ground.
        let res = geometry.resolution
        let ox = geometry.originX, oy = geometry.originY
        let fw = Float(w), fh = Float(h)
        let zLo = minObstacleZ, zHi = maxObstacleZ
        var obstacles = 0, ground = 0
        if let src = points.baseAddress {
            for i in 0..<n {
                let p = src + i * fpp
                let z = p[2]
                guard z <= zHi && z > -Float.infinity else { continue } // also drops NaN z
                // Same arithmetic as CostmapGeometry.cellIndex (division, not reciprocal multiply),
                // so points exactly on a cell edge land in the same cell everywhere.
                let fc = (p[0] - ox) / res
                let fr = (p[1] - oy) / res
                guard fc >= 0 && fc < fw && fr >= 0 && fr < fh else { continue } // also drops NaN x/y
                let idx = Int(fr) * w + Int(fc) // non-negative, so truncation == floor
                if z >= zLo {
                    g[idx] = CostmapCost.lethal
                    obstacles += 1
                } else {
                    if g[idx] == CostmapCost.unknown { g[idx] = CostmapCost.free }
                    ground += 1
                }
            }
        }

        // Collect boundary lethal cells.
        lethalList.reserve(cells) // allocates on the first call only
        var lethalCount = 0
        var boundaryCount = 0
        let lethal = CostmapCost.lethal
        for r in 0..<h {
            let row = g + r * w
            for c in 0..<w where row[c] == lethal {
                lethalCount += 1
                let boundary = (c > 0 && row[c - 1] != lethal) || (c + 1 < w && row[c + 1] != lethal)
                    || (r > 0 && row[c - w] != lethal) || (r + 1 < h && row[c + w] != lethal)
                if boundary {
                    lethalList.pointer[boundaryCount] = Int32(r * w + c)
                    boundaryCount += 1
                }
            }
        }

        // Stamp the stencil, one contiguous row span at a time. With the shifted encoding
        // s(c) = c &+ 1 (unknown 255 -> 0, everything else +1) the update
        //   new = unknown ? cost : max(cur, cost)   (lethal 254 stays 254 since cost <= 253)
        // is the plain byte max `s(new) = max(s(cur), cost + 1)`, which the compiler vectorizes.
        if spanCount > 0 && boundaryCount > 0 {
            let list = lethalList.pointer
            spanDY.withUnsafeBufferPointer { sdy in
            spanHalfWidth.withUnsafeBufferPointer { shw in
            spanStart.withUnsafeBufferPointer { sst in
            spanCostsPlusOne.withUnsafeBufferPointer { costs in
                guard let costBase = costs.baseAddress else { return }
                for li in 0..<boundaryCount {
                    let idx = Int(list[li])
                    let r = idx / w, c = idx - r * w
                    for si in 0..<spanCount {
                        let rr = r + sdy[si]
                        guard rr >= 0 && rr < h else { continue }
                        let half = shw[si]
                        let c0 = Swift.max(c - half, 0), c1 = Swift.min(c + half, w - 1)
                        let row = g + rr * w
                        let kc = costBase + sst[si] + (c0 - (c - half))
                        var j = 0
                        let len = c1 - c0 + 1
                        while j < len {
                            let cur = row[c0 + j] &+ 1
                            let k = kc[j]
                            row[c0 + j] = (cur > k ? cur : k) &- 1
                            j += 1
                        }
                    }
                }
            }}}}
        }
        return CostmapBuildResult(obstaclePoints: obstacles, groundPoints: ground, lethalCells: lethalCount)
    }
}
