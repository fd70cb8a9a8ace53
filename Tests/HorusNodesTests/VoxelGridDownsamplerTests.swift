import XCTest
@testable import HorusNodes

final class VoxelGridDownsamplerTests: XCTestCase {
    func run(_ d: VoxelGridDownsampler, _ pts: [Float], _ layout: PointLayout) -> [Float] {
        var out = [Float](repeating: -99, count: pts.count)
        let n = pts.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { d.downsample(points: p, layout: layout, into: $0) }
        }
        return Array(out.prefix(n * layout.floatsPerPoint))
    }

    let handful: [Float] = [
        0.1, 0.1, 0.1,     // voxel (0,0,0)
        1.5, 0.2, 0.0,     // voxel (1,0,0)
        0.3, 0.5, 0.2,     // voxel (0,0,0)
        -0.5, -0.5, 0.5,   // voxel (-1,-1,0)
        .nan, 0, 0,        // dropped
        0.5, 0.5, 1.5,     // voxel (0,0,1)
        0.9, 0.9, 0.9,     // voxel (0,0,0)
    ]

    func assertClose(_ a: [Float], _ b: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-6, file: file, line: line) }
    }

    func testHandComputedCentroidsSortedByVoxel() {
        let out = run(VoxelGridDownsampler(leafSize: 1), handful, .xyz)
        // Order: (iz, iy, ix) ascending -> (-1,-1,0), (0,0,0), (1,0,0), (0,0,1).
        assertClose(out, [
            -0.5, -0.5, 0.5,
            (0.1 + 0.3 + 0.9) / 3, (0.1 + 0.5 + 0.9) / 3, (0.1 + 0.2 + 0.9) / 3,
            1.5, 0.2, 0.0,
            0.5, 0.5, 1.5,
        ])
    }

    func testCropBoxAppliedFirst() {
        let d = VoxelGridDownsampler(leafSize: 1, cropBox: CropBox(min: SIMD3(0, 0, 0), max: SIMD3(1, 1, 1)))
        let out = run(d, handful, .xyz)
        assertClose(out, [(0.1 + 0.3 + 0.9) / 3, 0.5, 0.4])
        // 0.5 m leaf splits it: p0 -> (0,0,0), p2 -> (0,1,0) (y = 0.5 sits on the boundary and belongs
        // to the upper voxel), p6 -> (1,1,1); sorted by (iz, iy, ix).
        d.leafSize = 0.5
        assertClose(run(d, handful, .xyz), [0.1, 0.1, 0.1, 0.3, 0.5, 0.2, 0.9, 0.9, 0.9])
    }

    func testColorAveragedPerChannel() {
        let pts: [Float] = [
            0.2, 0.2, 0.2, PointLayout.packRGB(10, 20, 30),
            0.4, 0.4, 0.4, PointLayout.packRGB(11, 20, 40),
            2.5, 0.0, 0.0, PointLayout.packRGB(255, 0, 7),
        ]
        let out = run(VoxelGridDownsampler(leafSize: 1), pts, .xyzrgb)
        XCTAssertEqual(out.count, 8)
        assertClose(Array(out[0..<3]), [0.3, 0.3, 0.3])
        XCTAssertEqual(PointLayout.unpackRGB(out[3]), RGB8(11, 20, 35)) // 10.5 rounds to 11
        assertClose(Array(out[4..<7]), [2.5, 0, 0])
        XCTAssertEqual(PointLayout.unpackRGB(out[7]), RGB8(255, 0, 7))
    }

    func testMatchesNaiveImplementationOnRandomCloud() {
        var rng = Xoshiro256StarStar(seed: 42)
        var pts = [Float]()
        for _ in 0..<20_000 {
            // 10 m x 10 m x 2 m, leaf 0.05 -> ~20k voxels: grows the hash table several times.
            pts.append(Float(rng.nextUnitIntervalExcludingZero() * 10 - 5))
            pts.append(Float(rng.nextUnitIntervalExcludingZero() * 10 - 5))
            pts.append(Float(rng.nextUnitIntervalExcludingZero() * 2))
        }
        // Duplicate a cluster so some voxels hold many points.
        for i in 0..<500 { pts += [0.01 + Float(i) * 1e-5, 0.02, 0.03] }
        let leaf: Float = 0.05
        var naive = [SIMD3<Int32>: (SIMD3<Double>, Int)]()
        for i in stride(from: 0, to: pts.count, by: 3) {
            let key = SIMD3(Int32((pts[i] / leaf).rounded(.down)), Int32((pts[i + 1] / leaf).rounded(.down)),
                            Int32((pts[i + 2] / leaf).rounded(.down)))
            var e = naive[key] ?? (.zero, 0)
            e.0 += SIMD3(Double(pts[i]), Double(pts[i + 1]), Double(pts[i + 2]))
            e.1 += 1
            naive[key] = e
        }
        let sortedKeys = naive.keys.sorted { ($0.z, $0.y, $0.x) < ($1.z, $1.y, $1.x) }
        var expected = [Float]()
        for k in sortedKeys {
            let (s, c) = naive[k]!
            expected += [Float(s.x / Double(c)), Float(s.y / Double(c)), Float(s.z / Double(c))]
        }
        let d = VoxelGridDownsampler(leafSize: leaf)
        // Run a small cloud first to exercise scratch growth and reuse.
        _ = run(d, handful, .xyz)
        let out = run(d, pts, .xyz)
        XCTAssertEqual(out.count, expected.count)
        assertClose(out, expected)
        // Second call on the same input is identical (deterministic, scratch reuse).
        XCTAssertEqual(run(d, pts, .xyz), out)
    }

    func testEmptyAndAllFilteredInput() {
        let d = VoxelGridDownsampler(leafSize: 0.1, cropBox: CropBox(min: SIMD3(10, 10, 10), max: SIMD3(11, 11, 11)))
        XCTAssertEqual(run(d, [], .xyz), [])
        XCTAssertEqual(run(d, handful, .xyz), [])
    }
}

final class FastFloorTests: XCTestCase {
    func testMatchesFloor() {
        let values: [Float] = [0, -0.0, 0.5, -0.5, 1, -1, 2.999_999_8, -2.999_999_8, 1e-30, -1e-30,
                               123_456.5, -123_456.5, 1_048_575.9, -1_048_576, .leastNonzeroMagnitude,
                               -.leastNonzeroMagnitude, 3 - Float(3).ulp, -3 + Float(3).ulp]
        for v in values { XCTAssertEqual(floorToInt(v), Int(v.rounded(.down)), "\(v)") }
        var rng = Xoshiro256StarStar(seed: 9)
        for _ in 0..<10_000 {
            let v = Float(rng.nextUnitIntervalExcludingZero() * 200 - 100)
            XCTAssertEqual(floorToInt(v), Int(v.rounded(.down)))
        }
    }
}
