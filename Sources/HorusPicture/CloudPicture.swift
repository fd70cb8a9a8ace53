import HorusMemory

/// Draws point clouds from above (+x right, +y up): each point a dot coloured by its
/// height z in the Turbo colormap (from 0.1, its dark end left out against the background) (or by its own colour for xyzrgb), fitted to the
/// points' x/y extent, with a legend band holding the z range and a scale bar.
public enum CloudPicture {
    public static let background = RGB(16, 16, 24)
    /// Long side of the drawing area in pixels.
    public static let size = 480

    /// Renders `count` points of `format` (float32 fields, row-major) from `floats`.
    public static func render(count: Int, format: PointFormat, floats: UnsafeRawBufferPointer) throws -> RGBPicture {
        let f = format.fieldCount
        let (need, overflow) = count.multipliedReportingOverflow(by: f * 4)
        guard count >= 0, !overflow, floats.count >= need else {
            throw PictureError("point cloud of \(count) \(format) points needs \(need) bytes, got \(floats.count)")
        }
        func v(_ i: Int, _ j: Int) -> Float { floats.loadUnaligned(fromByteOffset: (i * f + j) * 4, as: Float.self) }
        var lo = (Float.infinity, Float.infinity, Float.infinity), hi = (-Float.infinity, -Float.infinity, -Float.infinity)
        var valid = 0
        for i in 0..<count {
            let x = v(i, 0), y = v(i, 1), z = v(i, 2)
            guard x.isFinite, y.isFinite, z.isFinite else { continue }
            valid += 1
            lo = (min(lo.0, x), min(lo.1, y), min(lo.2, z)); hi = (max(hi.0, x), max(hi.1, y), max(hi.2, z))
        }
        let spanX = valid > 0 ? max(Double(hi.0 - lo.0), 1e-3) : 1, spanY = valid > 0 ? max(Double(hi.1 - lo.1), 1e-3) : 1
        let ppm = Double(size - 1) / max(spanX, spanY)
        let w = max(Legend.minWidth, Int(spanX * ppm) + 1), h = Int(spanY * ppm) + 1
        var p = RGBPicture(width: w, height: h + Legend.bandHeight(width: w, lines: 2), fill: Legend.background)
        p.fillRect(x: 0, y: 0, width: w, height: h, background)
        let zSpan = Double(hi.2 - lo.2), dot = valid < 2000 ? 2 : 1
        for i in 0..<count {
            let x = v(i, 0), y = v(i, 1), z = v(i, 2)
            guard x.isFinite, y.isFinite, z.isFinite else { continue }
            let c: RGB
            if format == .xyzrgb {
                let bits = v(i, 3).bitPattern
                c = RGB(UInt8((bits >> 16) & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8(bits & 0xFF))
            } else {
                c = heightColor(zSpan > 0 ? Double(z - lo.2) / zSpan : 0.5)
            }
            let px = Int((Double(x - lo.0) * ppm).rounded()), py = h - 1 - Int((Double(y - lo.1) * ppm).rounded())
            p.fillRect(x: px, y: py, width: dot, height: dot, c)
        }
        let top = h, m = 4 * Legend.fontScale(w)
        if valid > 0, format != .xyzrgb {
            Legend.colorBar(&p, top: top, line: 0, x0: m, x1: w - m, color: heightColor,
                            low: "Z " + Legend.meters(Double(lo.2)), high: Legend.meters(Double(hi.2)))
        } else {
            Legend.text(&p, top: top, line: 0, x: m, valid > 0 ? "\(valid) POINTS" : "NO VALID POINTS")
        }
        Legend.scaleBar(&p, top: top, line: 1, x: m, pixelsPerMeter: ppm, maxPixels: w / 3)
        return p
    }

    /// The colour of relative height `t` in [0, 1]: Turbo from 0.1 (blue) to 1 (red).
    public static func heightColor(_ t: Double) -> RGB { Turbo.color(0.1 + 0.9 * min(1, max(0, t))) }

    /// Renders a horus `PointCloud` (contiguous; topic and recorded clouds always are).
    public static func render(_ cloud: PointCloud) throws -> RGBPicture {
        try ContiguousBytes.with(cloud.asTensor(), "point cloud") {
            try render(count: cloud.count, format: cloud.format, floats: $0)
        }
    }
}
