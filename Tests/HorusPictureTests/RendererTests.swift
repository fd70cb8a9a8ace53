import HorusMemory
@testable import HorusPicture
import XCTest

/// Pixel values of the renderers.
final class RendererTests: XCTestCase {
    func render(_ enc: ImageEncoding, _ bytes: [UInt8], width: Int = 2, height: Int = 1) throws -> RGBPicture {
        try bytes.withUnsafeBytes { try ImagePicture.render(width: width, height: height, encoding: enc, bytes: $0) }
    }

    func testImageEncodingsKeepTheirColours() throws {
        XCTAssertEqual(try render(.rgb8, [10, 20, 30, 40, 50, 60]).pixels, [10, 20, 30, 40, 50, 60])
        XCTAssertEqual(try render(.bgr8, [10, 20, 30, 40, 50, 60]).pixels, [30, 20, 10, 60, 50, 40])
        XCTAssertEqual(try render(.rgba8, [1, 2, 3, 255, 4, 5, 6, 0]).pixels, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try render(.bgra8, [1, 2, 3, 255, 4, 5, 6, 0]).pixels, [3, 2, 1, 6, 5, 4])
        XCTAssertEqual(try render(.mono8, [7, 200]).pixels, [7, 7, 7, 200, 200, 200])
        XCTAssertEqual(try render(.bayerRGGB8, [9, 99]).pixels, [9, 9, 9, 99, 99, 99])
        // mono16: stretched so the largest value is white.
        let m16: [UInt16] = [1000, 4000, 0]
        let p = try m16.withUnsafeBytes { try ImagePicture.render(width: 3, height: 1, encoding: .mono16, bytes: $0) }
        XCTAssertEqual(p.pixels, [64, 64, 64, 255, 255, 255, 0, 0, 0])
    }

    func testImageFromAHorusImageAndShortBuffersAreRefused() throws {
        let img = try Image(height: 2, width: 3, encoding: .rgb8)
        img.setPixel(x: 2, y: 1, [255, 128, 1])
        let p = try ImagePicture.render(img)
        XCTAssertEqual(p[2, 1], RGB(255, 128, 1))
        XCTAssertEqual(p[0, 0], .black)
        XCTAssertThrowsError(try render(.rgb8, [1, 2, 3])) { XCTAssertEqual("\($0)", "image 2x1 rgb8 needs 6 bytes, got 3") }
        XCTAssertThrowsError(try render(.rgb8, [], width: 0)) { XCTAssertTrue("\($0)".contains("0x1")) }
    }

    func testTurboRunsFromDarkThroughGreenToRed() {
        let lo = Turbo.color(0), mid = Turbo.color(0.5), hi = Turbo.color(1)
        XCTAssertLessThan(Int(lo.r) + Int(lo.g) + Int(lo.b), 120)
        XCTAssertGreaterThan(mid.g, 200)
        XCTAssertGreaterThan(hi.r, 100)
        XCTAssertLessThan(hi.b, 30)
        XCTAssertEqual(Turbo.color(-3), lo)
        XCTAssertEqual(Turbo.color(.nan), lo)
        XCTAssertEqual(Turbo.table[255], hi)
    }

    func testDepthIsColourMappedOverItsRangeWithNoDataBlackAndALegend() throws {
        // 4x2 meters: near 1 m, far 3 m, one missing, one NaN.
        let d: [Float] = [1, 2, 3, 0, .nan, 1, 3, 2]
        let p = try d.withUnsafeBytes { try DepthPicture.render(width: 4, height: 2, unit: .meters, bytes: $0) }
        let k = 60  // enlarged so the legend fits 240 columns
        XCTAssertEqual(p.width, 240)
        func at(_ x: Int, _ y: Int) -> RGB { p[x * k + k / 2, y * k + k / 2] }
        XCTAssertEqual(at(0, 0), Turbo.color(0))
        XCTAssertEqual(at(1, 0), Turbo.color(0.5))
        XCTAssertEqual(at(2, 0), Turbo.color(1))
        XCTAssertEqual(at(3, 0), DepthPicture.noData)
        XCTAssertEqual(at(0, 1), DepthPicture.noData)
        XCTAssertGreaterThan(p.height, 2 * k, "a legend band below the image")
        let band = (2 * k..<p.height).flatMap { y in (0..<p.width).map { p[$0, y] } }
        XCTAssertTrue(band.contains(Legend.ink), "legend text")
        XCTAssertTrue(band.contains(Turbo.color(0)) && band.contains(Turbo.color(1)), "colour bar from near to far")

        // Millimeters and an explicit range: 2000 mm is the middle of 1...3 m.
        let mm: [UInt16] = [2000, 0]
        let q = try mm.withUnsafeBytes { try DepthPicture.render(width: 2, height: 1, unit: .millimeters, bytes: $0, range: 1...3) }
        XCTAssertEqual(q[0, 0], Turbo.color(0.5))
        XCTAssertEqual(mm.withUnsafeBytes { DepthPicture.autoRange(width: 2, height: 1, unit: .millimeters, bytes: $0) }, 2...2)
        XCTAssertThrowsError(try mm.withUnsafeBytes { try DepthPicture.render(width: 3, height: 1, unit: .millimeters, bytes: $0) }) {
            XCTAssertEqual("\($0)", "depth image 3x1 millimeters needs 6 bytes, got 4")
        }
    }

    func testCostmapColoursRowsFlippedOriginCrossAndScaleBar() throws {
        // 10x10 cells of 0.1 m, origin (-0.5, -0.5): world (0, 0) is the centre.
        var cells = [UInt8](repeating: 0, count: 100)
        cells[0] = 254          // row 0 (bottom), col 0: lethal
        cells[9] = 255          // bottom right: unknown
        cells[90] = 253         // top left: inscribed
        cells[99] = 100         // top right: inflated
        let p = try cells.withUnsafeBytes {
            try CostmapPicture.render(CostmapCells(width: 10, height: 10, resolution: 0.1, originX: -0.5, originY: -0.5, cells: $0))
        }
        let k = CostmapPicture.cellPixels(width: 10, height: 10)
        XCTAssertEqual(k, 16)
        func cell(_ col: Int, _ row: Int) -> RGB { p[col * k + 2, (9 - row) * k + 2] }
        XCTAssertEqual(cell(0, 0), CostmapPicture.lethal)
        XCTAssertEqual(cell(9, 0), CostmapPicture.unknown)
        XCTAssertEqual(cell(0, 9), CostmapPicture.inscribed)
        XCTAssertEqual(cell(9, 9), CostmapPicture.color(cost: 100))
        XCTAssertEqual(cell(3, 3), CostmapPicture.free)
        XCTAssertNotEqual(CostmapPicture.color(cost: 1), CostmapPicture.color(cost: 252), "inflation is a ramp")
        // Origin cross at pixel (80, 80): +x red to the right, +y green upwards.
        XCTAssertEqual(p[80 + 8, 80], CostmapPicture.xAxis)
        XCTAssertEqual(p[80, 80 - 8], CostmapPicture.yAxis)
        XCTAssertEqual(p[80 - 8, 80], CostmapPicture.free)
        // Scale bar: 160 px/m, at most 53 px -> 0.2 m = 32 px, on legend line 1.
        let top = 10 * k, s = Legend.fontScale(p.width), m = 4 * s
        let y = Legend.lineTop(top, 1, width: p.width) + 3 * s
        XCTAssertEqual(p[m, y], Legend.ink)
        XCTAssertEqual(p[m + 31, y], Legend.ink)
        XCTAssertEqual(p[m + 33, y], Legend.background)
        XCTAssertThrowsError(try cells.withUnsafeBytes {
            try CostmapPicture.render(CostmapCells(width: 10, height: 10, resolution: 0, originX: 0, originY: 0, cells: $0))
        }) { XCTAssertTrue("\($0)".contains("resolution 0.0")) }
        XCTAssertThrowsError(try cells.withUnsafeBytes {
            try CostmapPicture.render(CostmapCells(width: 11, height: 10, resolution: 1, originX: 0, originY: 0, cells: $0))
        }) { XCTAssertEqual("\($0)", "costmap 11x10 needs 110 cells, got 100") }
    }

    func testCloudTopDownColouredByHeight() throws {
        let pts: [Float] = [0, 0, 0, 1, 0, 1, 0, 1, 0.5, .nan, 0, 0]
        let p = try pts.withUnsafeBytes { try CloudPicture.render(count: 4, format: .xyz, floats: $0) }
        XCTAssertEqual(p.width, 480)
        XCTAssertEqual(p[0, 479], Turbo.color(0.1), "(0, 0) bottom left, lowest: blue end")
        XCTAssertEqual(p[479, 479], Turbo.color(1), "(1, 0) bottom right, highest")
        XCTAssertEqual(p[0, 0], Turbo.color(0.55), "(0, 1) top left, half way")
        XCTAssertEqual(p[240, 240], CloudPicture.background)
        // xyzrgb: the point's own colour.
        let rgb = Float(bitPattern: 0x00FF_8001)
        let q = try [Float(0), 0, 0, rgb, 2, 2, 0, rgb].withUnsafeBytes { try CloudPicture.render(count: 2, format: .xyzrgb, floats: $0) }
        XCTAssertEqual(q[0, 479], RGB(255, 128, 1))
        XCTAssertThrowsError(try pts.withUnsafeBytes { try CloudPicture.render(count: 5, format: .xyz, floats: $0) })
    }

    func testLegendNumbersAndRoundLengths() {
        XCTAssertEqual(Legend.roundLength(0.33), 0.2)
        XCTAssertEqual(Legend.roundLength(1), 1)
        XCTAssertEqual(Legend.roundLength(7), 5)
        XCTAssertEqual(Legend.roundLength(12), 10)
        XCTAssertEqual(Legend.roundLength(0.05), 0.05, accuracy: 1e-12)
        XCTAssertEqual(Legend.number(4.8), "4.8")
        XCTAssertEqual(Legend.number(-0.25), "-0.25")
        XCTAssertEqual(Legend.number(0), "0")
        XCTAssertEqual(Legend.meters(2), "2 M")
        XCTAssertEqual(BitmapFont.width(of: "AB", scale: 2), 22)
        var p = RGBPicture(width: 8, height: 8)
        BitmapFont.draw("1", into: &p, x: 0, y: 0, color: .white)
        XCTAssertEqual((0..<7).map { p[2, $0] }, Array(repeating: .white, count: 7), "the stem of '1'")
        XCTAssertEqual(p[0, 0], .black)
    }
}
