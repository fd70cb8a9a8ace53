/// Draws costmaps top-down (+x right, +y up): free, inflated (a ramp by cost), inscribed,
/// lethal and unknown cells in distinct colours, the world origin as a red (+x) and
/// green (+y) axis cross, and a legend band with the colours, a scale bar and the geometry.
///
/// Costs follow horus's convention (HorusNodes `CostmapCost`): 0 free, 1...252 inflated,
/// 253 inscribed, 254 lethal, 255 unknown.
public enum CostmapPicture {
    public static let free = RGB(250, 250, 250)
    public static let inflatedLow = RGB(255, 236, 160)
    public static let inflatedHigh = RGB(235, 110, 30)
    public static let inscribed = RGB(200, 30, 160)
    public static let lethal = RGB(0, 0, 0)
    public static let unknown = RGB(110, 125, 150)
    public static let xAxis = RGB(230, 20, 20)
    public static let yAxis = RGB(20, 170, 40)

    /// The colour of one cost.
    public static func color(cost c: UInt8) -> RGB {
        switch c {
        case 0: return free
        case 253: return inscribed
        case 254: return lethal
        case 255: return unknown
        default:
            let t = Double(c - 1) / 251
            func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
            return RGB(mix(inflatedLow.r, inflatedHigh.r), mix(inflatedLow.g, inflatedHigh.g), mix(inflatedLow.b, inflatedHigh.b))
        }
    }

    /// Pixels per cell for a `width` x `height` grid: the grid is drawn about 480 pixels on its long side.
    public static func cellPixels(width: Int, height: Int) -> Int { max(1, min(16, 480 / max(width, height))) }

    /// Renders the grid; cell (col, row) fills the `k` x `k` block at (col * k, (height - 1 - row) * k).
    public static func render(_ map: CostmapCells) throws -> RGBPicture {
        try map.validate()
        let k = cellPixels(width: map.width, height: map.height)
        let w = max(map.width * k, Legend.minWidth), gridH = map.height * k
        var p = RGBPicture(width: w, height: gridH + Legend.bandHeight(width: w, lines: 3), fill: Legend.background)
        let table = (0...255).map { color(cost: UInt8($0)) }
        for row in 0..<map.height {
            for col in 0..<map.width {
                p.fillRect(x: col * k, y: (map.height - 1 - row) * k, width: k, height: k, table[Int(map.cells[row * map.width + col])])
            }
        }
        drawOrigin(&p, map, k: k)
        let top = gridH, s = Legend.fontScale(w), m = 4 * s
        Legend.swatches(&p, top: top, line: 0, x0: m + s, [(free, "FREE"), (color(cost: 128), "INFLATED"), (inscribed, "INSCRIBED"),
                                                           (lethal, "LETHAL"), (unknown, "UNKNOWN")])
        let ppm = Double(k) / Double(map.resolution)
        Legend.scaleBar(&p, top: top, line: 1, x: m, pixelsPerMeter: ppm, maxPixels: max(8, min(w / 3, map.width * k / 3)))
        Legend.text(&p, top: top, line: 2, x: m,
                    "\(map.width)X\(map.height) AT \(Legend.number(Double(map.resolution))) M, ORIGIN \(Legend.number(Double(map.originX))),\(Legend.number(Double(map.originY)))")
        return p
    }

    /// The world origin (0, 0) as an axis cross, when it lies on the grid.
    static func drawOrigin(_ p: inout RGBPicture, _ map: CostmapCells, k: Int) {
        let px = Double(-map.originX / map.resolution) * Double(k)
        let py = Double(map.height * k) - Double(-map.originY / map.resolution) * Double(k)
        guard px >= 0, px < Double(map.width * k), py >= 0, py < Double(map.height * k) else { return }
        let x = Int(px), y = Int(py), len = max(6, min(map.width, map.height) * k / 12), t = max(1, k / 4 + 1)
        p.fillRect(x: x, y: y - t / 2, width: len, height: t, xAxis)
        p.fillRect(x: x - t / 2, y: y - len, width: t, height: len, yAxis)
        p.fillRect(x: x - t, y: y - t, width: 2 * t, height: 2 * t, .black)
    }
}
