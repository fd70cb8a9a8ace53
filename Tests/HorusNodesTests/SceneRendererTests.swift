import Foundation
import XCTest
@testable import HorusNodes

final class SceneRendererTests: XCTestCase {
    // 81 x 61, 60 deg HFOV: principal point is exactly pixel (40, 30).
    let k = PinholeIntrinsics.fromHorizontalFOV(degrees: 60, width: 81, height: 61)

    struct Frame { var rgb: [UInt8]; var depth: [Float]; var mm: [UInt16]; var hits: Int }

    func render(_ r: SceneRenderer, _ pose: CameraPose, seed: UInt64 = 0) -> Frame {
        let n = r.intrinsics.pixelCount
        var f = Frame(rgb: .init(repeating: 1, count: n * 3), depth: .init(repeating: -1, count: n),
                      mm: .init(repeating: 1, count: n), hits: 0)
        f.hits = f.rgb.withUnsafeMutableBufferPointer { c in
            f.depth.withUnsafeMutableBufferPointer { d in
                f.mm.withUnsafeMutableBufferPointer { m in
                    r.render(pose: pose, rgb: c, depthMeters: d, depthMillimeters: m, noiseSeed: seed)
                }
            }
        }
        return f
    }

    func testIntrinsicsFromFOV() {
        let i = PinholeIntrinsics.fromHorizontalFOV(degrees: 90, width: 5, height: 3)
        XCTAssertEqual(i.fx, 2.5, accuracy: 1e-6)
        XCTAssertEqual(i.fy, 2.5, accuracy: 1e-6)
        XCTAssertEqual(i.cx, 2)
        XCTAssertEqual(i.cy, 1)
        XCTAssertEqual(i.horizontalFOV, .pi / 2, accuracy: 1e-6)
    }

    func testPoseConventions() {
        // yaw 90 deg, pitch 0: forward = +y world, right = +x world, down = -z world.
        let p = CameraPose(position: SIMD3(1, 2, 3), yaw: .pi / 2, pitch: 0)
        let t = p.cameraToWorld
        let fwd = t.rotate(SIMD3(0, 0, 1)), right = t.rotate(SIMD3(1, 0, 0)), down = t.rotate(SIMD3(0, 1, 0))
        for (a, b) in [(fwd, SIMD3<Float>(0, 1, 0)), (right, SIMD3(1, 0, 0)), (down, SIMD3(0, 0, -1))] {
            XCTAssertLessThan(((a - b) * (a - b)).sum(), 1e-10)
        }
        // Pitch 90 deg looks straight down.
        let q = CameraPose(position: .zero, yaw: 0, pitch: .pi / 2)
        XCTAssertEqual(q.forward.z, -1, accuracy: 1e-6)
        // Inverse round trip.
        let x = SIMD3<Float>(0.3, -2, 5)
        let back = t.inverse.apply(t.apply(x))
        XCTAssertLessThan(((back - x) * (back - x)).sum(), 1e-10)
    }

    func testGroundDepthFromGeometry() {
        let r = SceneRenderer(scene: Scene(), intrinsics: k, maxRange: 100)
        let h: Float = 2, pitch: Float = .pi / 6 // 30 deg down
        let f = render(r, CameraPose(position: SIMD3(0, 0, h), pitch: pitch))
        // Principal ray hits the ground at range h / sin(30) = 4; it is the optical axis so depth = 4.
        XCTAssertEqual(f.depth[30 * 81 + 40], 4, accuracy: 1e-4)
        XCTAssertEqual(f.mm[30 * 81 + 40], 4000)
        // Row v: ray (xn, yn, 1) in optical; world dz = -(sin p + yn cos p), so depth = h / (sin p + yn cos p),
        // independent of the column.
        for v in [45, 60] {
            let yn = (Float(v) - k.cy) / k.fy
            let expected = h / (sinf(pitch) + yn * cosf(pitch))
            XCTAssertEqual(f.depth[v * 81 + 40], expected, accuracy: 1e-4)
            XCTAssertEqual(f.depth[v * 81 + 3], expected, accuracy: 1e-4)
        }
        // Rows whose ray points above the horizon (sin p + yn cos p <= 0) see the sky: 30 deg down,
        // vertical half FOV ~ 24 deg -> every row hits the ground here.
        XCTAssertEqual(f.hits, 81 * 61)
    }

    func testStraightDownSeesFlatDepthAndChecker() {
        let r = SceneRenderer(scene: Scene(checkerSize: 1), intrinsics: k)
        var f = render(r, CameraPose(position: SIMD3(0.5, 0.5, 2), pitch: .pi / 2))
        // Image plane parallel to the ground: every pixel has depth exactly h.
        XCTAssertEqual(f.depth.min()!, 2, accuracy: 1e-5)
        XCTAssertEqual(f.depth.max()!, 2, accuracy: 1e-5)
        let c = (30 * 81 + 40) * 3
        XCTAssertEqual(Array(f.rgb[c..<c + 3]), [90, 90, 90])     // square (0, 0): color A
        f = render(r, CameraPose(position: SIMD3(1.5, 0.5, 2), pitch: .pi / 2))
        XCTAssertEqual(Array(f.rgb[c..<c + 3]), [160, 160, 160])  // square (1, 0): color B
    }

    func testBoxInFrontHasKnownDistanceAndShade() {
        let box = SceneBox(center: SIMD3(5, 0, 0.5), size: SIMD3(2, 2, 1), color: RGB8(200, 100, 0))
        let r = SceneRenderer(scene: Scene(boxes: [box]), intrinsics: k, maxRange: 50)
        let f = render(r, CameraPose(position: SIMD3(0, 0, 0.5)))
        // Front face at x = 4, perpendicular to the optical axis: depth 4 at the center and nearby.
        XCTAssertEqual(f.depth[30 * 81 + 40], 4, accuracy: 1e-5)
        XCTAssertEqual(f.depth[35 * 81 + 45], 4, accuracy: 1e-5)
        XCTAssertEqual(f.mm[30 * 81 + 40], 4000)
        // -x face faces away from the light -> ambient 0.35: (70, 35, 0).
        let c = (30 * 81 + 40) * 3
        XCTAssertEqual(Array(f.rgb[c..<c + 3]), [70, 35, 0])
        // Row 0 looks ~24 deg up over the box (top edge at 0.5 m above the camera, 4 m away -> 7 deg):
        // sky, depth 0.
        XCTAssertEqual(f.depth[40], 0)
        XCTAssertEqual(f.mm[40], 0)
        XCTAssertEqual(Array(f.rgb[120..<123]), [135, 190, 235])
        // maxRange below the box distance hides it.
        r.maxRange = 3.9
        let g = render(r, CameraPose(position: SIMD3(0, 0, 0.5)))
        XCTAssertEqual(g.depth[30 * 81 + 40], 0)
    }

    func testNoiseIsDeterministicPerSeedAndHasRequestedSigma() {
        let r = SceneRenderer(scene: Scene(), intrinsics: k, noise: DepthNoiseModel(baseSigma: 0.01))
        let pose = CameraPose(position: SIMD3(0, 0, 2), pitch: .pi / 2)
        let a = render(r, pose, seed: 1), b = render(r, pose, seed: 1), c = render(r, pose, seed: 2)
        XCTAssertEqual(a.depth, b.depth)
        XCTAssertNotEqual(a.depth, c.depth)
        let n = Double(a.depth.count)
        let mean = a.depth.reduce(0.0) { $0 + Double($1) } / n
        let sd = (a.depth.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
        XCTAssertEqual(mean, 2, accuracy: 0.002)
        XCTAssertEqual(sd, 0.01, accuracy: 0.001)
    }

    func testGaussianSequenceIsStable() {
        var g1 = GaussianNoise(seed: 123), g2 = GaussianNoise(seed: 123)
        let s1 = (0..<5).map { _ in g1.nextStandardNormal() }
        let s2 = (0..<5).map { _ in g2.nextStandardNormal() }
        XCTAssertEqual(s1, s2)
        // SplitMix64 reference value for seed 0 (first output of the published algorithm).
        var sm = SplitMix64(seed: 0)
        XCTAssertEqual(sm.next(), 0xE220_A839_7B1D_CDAF)
    }

    func testSceneMotion() {
        let lin = SceneMotion.linear(start: CameraPose(position: SIMD3(1, 1, 1), yaw: .pi / 2, pitch: 0.2), speed: 1.5)
        let p = lin.pose(at: 2)
        XCTAssertEqual(p.position.x, 1, accuracy: 1e-5)
        XCTAssertEqual(p.position.y, 4, accuracy: 1e-5)
        XCTAssertEqual(p.position.z, 1)
        XCTAssertEqual(p.pitch, 0.2)
        let orbit = SceneMotion.orbit(center: SIMD3(2, 0, 0), radius: 3, height: 3, angularSpeed: .pi / 2, startAngle: 0)
        let o0 = orbit.pose(at: 0), o1 = orbit.pose(at: 1)
        XCTAssertEqual(o0.position.x, 5, accuracy: 1e-5)
        XCTAssertEqual(abs(o0.yaw), .pi, accuracy: 1e-5)        // looking back along -x
        XCTAssertEqual(o0.pitch, .pi / 4, accuracy: 1e-5)       // 3 m up, 3 m away
        XCTAssertEqual(o1.position.y, 3, accuracy: 1e-5)        // quarter turn
        XCTAssertEqual(o1.yaw, -.pi / 2, accuracy: 1e-5)
        // The orbiting camera's principal ray hits the center: depth = sqrt(18).
        let r = SceneRenderer(scene: Scene(), intrinsics: k)
        let f = render(r, o1)
        XCTAssertEqual(f.depth[30 * 81 + 40], Float(18).squareRoot(), accuracy: 1e-4)
    }
}

final class GaussianNoiseTests: XCTestCase {
    func testMomentsOfStandardNormal() {
        var g = GaussianNoise(seed: 2024)
        let n = 200_000
        var s1 = 0.0, s2 = 0.0, within1 = 0
        for _ in 0..<n {
            let x = g.nextStandardNormal()
            s1 += x; s2 += x * x
            if abs(x) < 1 { within1 += 1 }
        }
        XCTAssertEqual(s1 / Double(n), 0, accuracy: 0.01)
        XCTAssertEqual(s2 / Double(n), 1, accuracy: 0.02)
        XCTAssertEqual(Double(within1) / Double(n), 0.6827, accuracy: 0.005) // P(|X| < 1)
    }
}
