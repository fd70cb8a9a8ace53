import XCTest
@testable import HorusNodes

final class DepthUnprojectorTests: XCTestCase {
    // 4x3 image, fx = 2, fy = 4, cx = 1.5, cy = 1 -> xn = (u - 1.5) / 2, yn = (v - 1) / 4.
    let k = PinholeIntrinsics(fx: 2, fy: 4, cx: 1.5, cy: 1, width: 4, height: 3)

    func unproject(_ u: DepthUnprojector, _ depth: [Float]) -> [Float] {
        var out = [Float](repeating: -99, count: u.maxPointCount * 3)
        let n = depth.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { u.unproject(depth: d, into: $0) }
        }
        return Array(out.prefix(n * 3))
    }

    func testExactPointsFor4x3Image() {
        let depth: [Float] = [
            2, 2, 2, 2,
            4, 4, 4, 4,
            1, 1, 1, 1,
        ]
        let pts = unproject(DepthUnprojector(intrinsics: k), depth)
        XCTAssertEqual(pts.count, 12 * 3)
        // Row 0 (yn = -0.25), depth 2: x = 2 * (u - 1.5) / 2 = u - 1.5, y = -0.5.
        XCTAssertEqual(Array(pts[0..<12]), [-1.5, -0.5, 2, -0.5, -0.5, 2, 0.5, -0.5, 2, 1.5, -0.5, 2])
        // Row 1 (yn = 0), depth 4: x = 2 * (u - 1.5).
        XCTAssertEqual(Array(pts[12..<24]), [-3, 0, 4, -1, 0, 4, 1, 0, 4, 3, 0, 4])
        // Row 2 (yn = 0.25), depth 1.
        XCTAssertEqual(Array(pts[24..<36]), [-0.75, 0.25, 1, -0.25, 0.25, 1, 0.25, 0.25, 1, 0.75, 0.25, 1])
    }

    func testSkipsZeroNaNAndOutOfRange() {
        let depth: [Float] = [
            0, .nan, 2, 2,
            0.4, 4, 9, .infinity,
            1, -1, 1, 1,
        ]
        let u = DepthUnprojector(intrinsics: k, minDepth: 0.5, maxDepth: 5)
        let pts = unproject(u, depth)
        // Survivors: (2,0) (3,0) (1,1) (0,2) (2,2) (3,2).
        XCTAssertEqual(pts.count, 6 * 3)
        XCTAssertEqual(Array(pts[0..<3]), [0.5, -0.5, 2])
        XCTAssertEqual(Array(pts[6..<9]), [-1, 0, 4])
        XCTAssertEqual(Array(pts[9..<12]), [-0.75, 0.25, 1])
        XCTAssertEqual(Array(pts[15..<18]), [0.75, 0.25, 1])
    }

    func testDefaultRangeStillRejectsInfinityAndNegative() {
        let depth: [Float] = [.infinity, -.infinity, -2, 0, .nan, 1e-3, 0, 0, 0, 0, 0, 0]
        let pts = unproject(DepthUnprojector(intrinsics: k), depth)
        XCTAssertEqual(pts.count, 3) // only the 1 mm pixel (1, 0)
        XCTAssertEqual(pts[2], 1e-3)
    }

    func testStrideVisitsEveryOtherPixel() {
        let depth: [Float] = [
            2, 2, 2, 2,
            4, 4, 4, 4,
            1, 1, 1, 1,
        ]
        let u = DepthUnprojector(intrinsics: k, pixelStride: 2)
        XCTAssertEqual(u.maxPointCount, 4)
        let pts = unproject(u, depth)
        // Pixels (0,0) (2,0) (0,2) (2,2).
        XCTAssertEqual(pts, [-1.5, -0.5, 2, 0.5, -0.5, 2, -0.75, 0.25, 1, 0.25, 0.25, 1])
    }

    func testMillimetersMatchMeters() {
        let mm: [UInt16] = [2000, 0, 2000, 2000, 4000, 4000, 4000, 4000, 1000, 1000, 1000, 65535]
        let u = DepthUnprojector(intrinsics: k, maxDepth: 10)
        var out = [Float](repeating: 0, count: 12 * 3)
        let n = mm.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { u.unproject(depthMillimeters: d, into: $0) }
        }
        XCTAssertEqual(n, 10) // 0 and 65.535 m (> maxDepth) skipped
        XCTAssertEqual(Array(out[0..<3]), [-1.5, -0.5, 2])
        XCTAssertEqual(Array(out[3..<6]), [0.5, -0.5, 2])
        XCTAssertEqual(out[9 * 3 + 0], 0.25, accuracy: 1e-6) // pixel (2,2)
        XCTAssertEqual(out[9 * 3 + 2], 1, accuracy: 1e-6)
        // Custom scale: 0.1 mm units.
        let n2 = mm.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { u.unproject(depthMillimeters: d, scale: 0.0001, into: $0) }
        }
        XCTAssertEqual(n2, 11)
        XCTAssertEqual(out[2], 0.2, accuracy: 1e-6)
    }

    func testRowStridePaddingIsIgnored() {
        // Rows of 6 floats, last 2 are padding with garbage.
        let depth: [Float] = [2, 2, 2, 2, 7, 7, 4, 4, 4, 4, 7, 7, 1, 1, 1, 1]
        let u = DepthUnprojector(intrinsics: k)
        var out = [Float](repeating: 0, count: 12 * 3)
        let n = depth.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { u.unproject(depth: d, rowStride: 6, into: $0) }
        }
        XCTAssertEqual(n, 12)
        XCTAssertEqual(Array(out[12..<15]), [-3, 0, 4])
    }

    func testTransformAndColor() {
        // Camera at (1, 2, 3) looking along world +x (yaw 0, pitch 0):
        // optical (x right, y down, z fwd) -> world (-x_opt... ) i.e. world = (z, -x, -y) + t.
        let pose = CameraPose(position: SIMD3(1, 2, 3))
        let u = DepthUnprojector(intrinsics: k, transform: pose.cameraToWorld)
        let depth: [Float] = [0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0]
        var rgb = [UInt8](repeating: 0, count: 12 * 3)
        rgb[7 * 3] = 0x12; rgb[7 * 3 + 1] = 0x34; rgb[7 * 3 + 2] = 0x56
        var out = [Float](repeating: 0, count: 12 * 4)
        let n = depth.withUnsafeBufferPointer { d in
            rgb.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { u.unproject(depth: d, rgb: c, into: $0) }
            }
        }
        XCTAssertEqual(n, 1)
        // Pixel (3,1): optical (3, 0, 4) -> world (4 + 1, -3 + 2, -0 + 3).
        XCTAssertEqual(out[0], 5, accuracy: 1e-5)
        XCTAssertEqual(out[1], -1, accuracy: 1e-5)
        XCTAssertEqual(out[2], 3, accuracy: 1e-5)
        XCTAssertEqual(out[3].bitPattern, 0x0012_3456)
        XCTAssertEqual(PointLayout.unpackRGB(out[3]), RGB8(0x12, 0x34, 0x56))
    }
}
