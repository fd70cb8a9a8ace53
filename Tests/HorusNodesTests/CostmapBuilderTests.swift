import HorusMessages
import XCTest
@testable import HorusNodes

final class CostmapBuilderTests: XCTestCase {
    // 21 x 21 cells of 0.1 m; cell (10, 10) is centered on the world origin.
    let geo = CostmapGeometry(width: 21, height: 21, resolution: 0.1, originX: -1.05, originY: -1.05)
    let infl = InflationParameters(inscribedRadius: 0.2, inflationRadius: 0.5, costScalingFactor: 10)

    func build(_ b: CostmapBuilder, _ pts: [Float]) -> ([UInt8], CostmapBuildResult) {
        var grid = [UInt8](repeating: 7, count: b.geometry.cellCount)
        let r = pts.withUnsafeBufferPointer { p in grid.withUnsafeMutableBufferPointer { b.build(points: p, into: $0) } }
        return (grid, r)
    }

    func at(_ g: [UInt8], _ col: Int, _ row: Int, width: Int = 21) -> UInt8 { g[row * width + col] }

    func testSingleObstacleHandComputedCosts() {
        let b = CostmapBuilder(geometry: geo, minObstacleZ: 0.1, maxObstacleZ: 2, inflation: infl)
        let pts: [Float] = [
            0.01, 0.02, 0.5,    // obstacle -> cell (10, 10)
            0.0, 0.0, 0.0,      // ground in the lethal cell: must not clear it
            0.7, 0.0, 0.0,      // ground, cell (17, 10): 0.7 m away -> stays free
            0.3, 0.0, -0.05,    // ground, cell (13, 10): free, then inflated to 93
            -1.0, -1.0, 3.0,    // above the band -> ignored, cell (0, 0) stays unknown
            .nan, 0.0, 0.5,     // ignored
            5.0, 0.0, 0.5,      // outside the grid -> ignored
            0.7, 0.5, -.infinity, // ignored (would otherwise count as ground)
            .infinity, 0.0, 0.0,  // ignored
        ]
        let (g, r) = build(b, pts)
        XCTAssertEqual(r, CostmapBuildResult(obstaclePoints: 1, groundPoints: 3, lethalCells: 1))
        XCTAssertEqual(at(g, 10, 10), 254)
        // Inscribed: d <= 0.2 m.
        XCTAssertEqual(at(g, 11, 10), 253)   // d = 0.1
        XCTAssertEqual(at(g, 10, 8), 253)    // d = 0.2 (boundary included)
        XCTAssertEqual(at(g, 11, 11), 253)   // d = 0.141
        // 252 * exp(-10 * (d - 0.2)), rounded.
        XCTAssertEqual(at(g, 12, 11), 199)   // d = 0.2236
        XCTAssertEqual(at(g, 13, 10), 93)    // d = 0.3, was free (ground point)
        XCTAssertEqual(at(g, 7, 11), 79)     // d = 0.3162
        XCTAssertEqual(at(g, 12, 13), 51)    // d = 0.3606
        XCTAssertEqual(at(g, 10, 14), 34)    // d = 0.4
        XCTAssertEqual(at(g, 13, 13), 27)    // d = 0.4243
        XCTAssertEqual(at(g, 14, 13), 13)    // d = 0.5 (boundary included), was unknown
        XCTAssertEqual(at(g, 5, 10), 13)     // d = 0.5
        // Beyond the inflation radius.
        XCTAssertEqual(at(g, 15, 11), 255)   // d = 0.51, never observed
        XCTAssertEqual(at(g, 17, 10), 0)     // observed ground
        XCTAssertEqual(at(g, 0, 0), 255)
        XCTAssertEqual(g.filter { $0 == 0 }.count, 1)
    }

    func testRowMajorWithRowZeroAtOriginY() {
        let b = CostmapBuilder(geometry: geo, minObstacleZ: 0.1, maxObstacleZ: 2, inflation: .none)
        let (g, _) = build(b, [-0.9, 1.0, 1.0, 1.0, -1.0, 0.0])
        XCTAssertEqual(g[20 * 21 + 1], 254)  // x = -0.9 -> col 1, y = 1.0 -> row 20
        XCTAssertEqual(g[0 * 21 + 20], 0)    // ground at col 20, row 0
        XCTAssertEqual(g.filter { $0 == 255 }.count, 21 * 21 - 2)
    }

    func testNeverLowersCostRegardlessOfOrder() {
        let b = CostmapBuilder(geometry: geo, minObstacleZ: 0.1, maxObstacleZ: 2, inflation: infl)
        let a: [Float] = [0, 0, 1, 0.4, 0, 1] // cells (10,10) and (14,10)
        for pts in [a, Array(a[3...] + a[..<3])] {
            let (g, r) = build(b, pts)
            XCTAssertEqual(r.lethalCells, 2)
            XCTAssertEqual(at(g, 12, 10), 253)
            XCTAssertEqual(at(g, 13, 10), 253) // 0.1 from the second, 0.3 (93) from the first
            XCTAssertEqual(at(g, 17, 10), 93)  // 0.3 from the second only
            XCTAssertEqual(at(g, 7, 10), 93)
        }
    }

    /// Reference: brute-force nearest-lethal distance for every cell.
    func testMatchesBruteForceOnRandomScene() {
        let g2 = CostmapGeometry(width: 40, height: 30, resolution: 0.05, originX: -1, originY: -0.5)
        let p2 = InflationParameters(inscribedRadius: 0.1, inflationRadius: 0.3, costScalingFactor: 5)
        let b = CostmapBuilder(geometry: g2, minObstacleZ: 0.05, maxObstacleZ: 1, inflation: p2)
        var rng = Xoshiro256StarStar(seed: 7)
        var pts = [Float]()
        for i in 0..<600 {
            let x = Float(rng.nextUnitIntervalExcludingZero() * 2.2 - 1.1)
            let y = Float(rng.nextUnitIntervalExcludingZero() * 1.7 - 0.6)
            let z: Float = i % 10 == 0 ? 0.5 : 0
            pts += [x, y, z]
        }
        // A solid 6 x 6 block (exercises the boundary-only stamping).
        for i in 0..<12 { for j in 0..<12 { pts += [0.3 + Float(i) * 0.025, 0.3 + Float(j) * 0.025, 0.2] } }
        var grid = [UInt8](repeating: 0, count: g2.cellCount)
        pts.withUnsafeBufferPointer { p in grid.withUnsafeMutableBufferPointer { _ = b.build(points: p, into: $0) } }

        var base = [UInt8](repeating: 255, count: g2.cellCount)
        for i in stride(from: 0, to: pts.count, by: 3) {
            guard let idx = g2.cellIndex(x: pts[i], y: pts[i + 1]) else { continue }
            if pts[i + 2] >= 0.05 { base[idx] = 254 } else if base[idx] == 255 { base[idx] = 0 }
        }
        let lethal = (0..<g2.cellCount).filter { base[$0] == 254 }
        XCTAssertGreaterThan(lethal.count, 36)
        var expected = base
        for idx in 0..<g2.cellCount where base[idx] != 254 {
            let r = idx / 40, c = idx % 40
            var best = Double.infinity
            for l in lethal {
                let dr = Double(l / 40 - r), dc = Double(l % 40 - c)
                best = min(best, (dr * dr + dc * dc).squareRoot() * Double(g2.resolution))
            }
            let cost = best.isFinite ? p2.cost(atDistance: best, resolution: g2.resolution) : 0
            if cost > 0 && (base[idx] == 255 || base[idx] < cost) { expected[idx] = cost }
        }
        XCTAssertEqual(grid, expected)
    }
}
