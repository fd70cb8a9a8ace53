import HorusMessages
import XCTest
@testable import HorusNodes

/// Known scene -> known map: render, unproject into the world, downsample, build a costmap.
final class EndToEndTests: XCTestCase {
    func testOneBoxSceneGivesExpectedCostmap() {
        let k = PinholeIntrinsics.fromHorizontalFOV(degrees: 90, width: 320, height: 240)
        // 1 m cube standing with footprint x in [2.5, 3.5], y in [-0.5, 0.5].
        let box = SceneBox.standing(x: 3, y: 0, sizeX: 1, sizeY: 1, height: 1, color: RGB8(200, 40, 40))
        let renderer = SceneRenderer(scene: Scene(boxes: [box]), intrinsics: k, maxRange: 20)
        let pose = CameraPose(position: SIMD3(0, 0, 2.5), yaw: 0, pitch: 35 * .pi / 180)
        let n = k.pixelCount
        var rgb = [UInt8](repeating: 0, count: n * 3)
        var depth = [Float](repeating: 0, count: n)
        let hits = rgb.withUnsafeMutableBufferPointer { c in
            depth.withUnsafeMutableBufferPointer { renderer.render(pose: pose, rgb: c, depthMeters: $0) }
        }
        XCTAssertGreaterThan(hits, n / 2)

        let unprojector = DepthUnprojector(intrinsics: k, minDepth: 0.1, maxDepth: 15, transform: pose.cameraToWorld)
        var cloud = [Float](repeating: 0, count: n * 4)
        let count = depth.withUnsafeBufferPointer { d in
            rgb.withUnsafeBufferPointer { c in
                cloud.withUnsafeMutableBufferPointer { unprojector.unproject(depth: d, rgb: c, into: $0) }
            }
        }
        XCTAssertGreaterThan(count, 0)

        let voxel = VoxelGridDownsampler(leafSize: 0.05,
                                         cropBox: CropBox(min: SIMD3(-10, -10, -1), max: SIMD3(10, 10, 3)))
        var down = [Float](repeating: 0, count: count * 4)
        let m = cloud.withUnsafeBufferPointer { p in
            down.withUnsafeMutableBufferPointer {
                voxel.downsample(points: p, pointCount: count, layout: .xyzrgb, into: $0)
            }
        }
        XCTAssertGreaterThan(m, 100)
        XCTAssertLessThan(m, count)
        // Every box point is red-ish (its shaded color), every ground point gray.
        for i in 0..<m {
            let z = down[i * 4 + 2], c = PointLayout.unpackRGB(down[i * 4 + 3])
            if z > 0.2 { XCTAssertGreaterThan(Int(c.r), Int(c.g) + 20) } else if z < 0.01 { XCTAssertEqual(c.r, c.g) }
        }

        // 10 m x 10 m at 0.1 m: x in [-2, 8], y in [-5, 5]; cell (col, row) covers
        // x in [-2 + 0.1 col, ...), y in [-5 + 0.1 row, ...).
        let geo = CostmapGeometry(width: 100, height: 100, resolution: 0.1, originX: -2, originY: -5)
        let builder = CostmapBuilder(geometry: geo, minObstacleZ: 0.15, maxObstacleZ: 2,
                                     inflation: InflationParameters(inscribedRadius: 0.1, inflationRadius: 0.3,
                                                                    costScalingFactor: 5))
        var grid = [UInt8](repeating: 0, count: geo.cellCount)
        let result = down.withUnsafeBufferPointer { p in
            grid.withUnsafeMutableBufferPointer { builder.build(points: p, pointCount: m, layout: .xyzrgb, into: $0) }
        }
        XCTAssertGreaterThan(result.obstaclePoints, 0)
        XCTAssertGreaterThan(result.groundPoints, 0)
        func cell(x: Float, y: Float) -> UInt8 { grid[geo.cellIndex(x: x, y: y)!] }

        // The whole footprint (cols 45...54, rows 45...54) is lethal: the camera sees the top face.
        for row in 45...54 {
            for col in 45...54 {
                XCTAssertEqual(grid[row * 100 + col], 254, "footprint cell (\(col), \(row))")
            }
        }
        // Lethal cells exist only on the footprint (allowing one cell of float slack at its edges).
        for row in 0..<100 {
            for col in 0..<100 where grid[row * 100 + col] == 254 {
                XCTAssertTrue((44...55).contains(col) && (44...55).contains(row), "stray lethal cell (\(col), \(row))")
            }
        }
        // One cell in front of the box is inscribed (253); 0.2 m out is inflated but not inscribed.
        XCTAssertEqual(cell(x: 2.45, y: 0.05), 253)
        XCTAssertEqual(cell(x: 2.35, y: 0.05), 153) // d = 0.2 -> round(252 * exp(-5 * 0.1)) = 153
        XCTAssertEqual(cell(x: 2.25, y: 0.05), 93)  // d = 0.3 -> round(252 * exp(-5 * 0.2)) = 93
        XCTAssertEqual(cell(x: 2.15, y: 0.05), 0)   // d = 0.4 > inflation radius: plain ground
        // Ground in view, away from the box: free.
        XCTAssertEqual(cell(x: 1.55, y: 0.05), 0)
        XCTAssertEqual(cell(x: 1.05, y: -0.55), 0)
        XCTAssertEqual(cell(x: 7.05, y: 0.05), 0)
        // Shadow behind the box: the ray over the far top edge (3.5, 1) from z = 2.5 meets the ground
        // at x = 3.5 * 2.5 / 1.5 = 5.83, so x in (3.8, 5.8) at y = 0 is never observed.
        XCTAssertEqual(cell(x: 4.55, y: 0.05), 255)
        XCTAssertEqual(cell(x: 5.35, y: 0.05), 255)
        // Behind the camera and below the lowest ray (ground hit at 2.5 / tan(35 + 36.87 deg) = 0.82 m).
        XCTAssertEqual(cell(x: -1.05, y: 0.05), 255)
        XCTAssertEqual(cell(x: 0.55, y: 0.05), 255)
    }
}
