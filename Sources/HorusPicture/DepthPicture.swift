import HorusMemory

/// Draws depth images in the Turbo colormap (near = dark blue, far = dark red; no
/// measurement = black) with a legend band giving the range in meters.
public enum DepthPicture {
    /// Colour of pixels without a measurement (0, negative or not finite).
    public static let noData = RGB.black

    /// The range drawn from the first to the last colour: `range` if given, else the
    /// smallest and largest valid depth; nil when no pixel is valid.
    public static func autoRange(width: Int, height: Int, unit: DepthUnit, bytes: UnsafeRawBufferPointer) -> ClosedRange<Float>? {
        var lo = Float.infinity, hi = -Float.infinity
        for i in 0..<(width * height) {
            let d = meters(bytes, i, unit)
            if d > 0, d.isFinite { lo = min(lo, d); hi = max(hi, d) }
        }
        return lo <= hi ? lo...hi : nil
    }

    /// Renders `height` rows of `width` depths (float32 m or uint16 mm, row-major, contiguous).
    /// Small images are enlarged (nearest neighbour) so the legend's text fits.
    public static func render(width: Int, height: Int, unit: DepthUnit, bytes: UnsafeRawBufferPointer,
                              range: ClosedRange<Float>? = nil) throws -> RGBPicture {
        guard width > 0, height > 0 else { throw PictureError("depth image size \(width)x\(height) has no pixels") }
        let (count, overflow) = width.multipliedReportingOverflow(by: height * unit.dtype.size)
        guard !overflow, bytes.count >= count else {
            throw PictureError("depth image \(width)x\(height) \(unit) needs \(count) bytes, got \(bytes.count)")
        }
        if let range, !(range.lowerBound.isFinite && range.upperBound.isFinite) {
            throw PictureError("depth range \(range) is not finite")
        }
        let r = range ?? autoRange(width: width, height: height, unit: unit, bytes: bytes)
        let k = Legend.enlargement(forWidth: width)
        let lines = 2
        var p = RGBPicture(width: width * k, height: height * k + Legend.bandHeight(width: width * k, lines: lines), fill: Legend.background)
        for y in 0..<height {
            for x in 0..<width {
                let d = meters(bytes, y * width + x, unit)
                let c = color(d, r)
                p.fillRect(x: x * k, y: y * k, width: k, height: k, c)
            }
        }
        let top = height * k, m = 4 * Legend.fontScale(p.width)
        if let r {
            Legend.colorBar(&p, top: top, line: 0, x0: m, x1: p.width - m, color: Turbo.color,
                            low: Legend.meters(Double(r.lowerBound)), high: Legend.meters(Double(r.upperBound)))
        } else {
            Legend.text(&p, top: top, line: 0, x: m, "NO VALID DEPTH")
        }
        Legend.swatches(&p, top: top, line: 1, x0: m + Legend.fontScale(p.width), [(noData, "NO DATA")])
        return p
    }

    /// Renders a horus `DepthImage` (contiguous; topic and recorded images always are).
    public static func render(_ d: DepthImage, range: ClosedRange<Float>? = nil) throws -> RGBPicture {
        try ContiguousBytes.with(d.asTensor(), "depth image") {
            try render(width: d.width, height: d.height, unit: d.unit, bytes: $0, range: range)
        }
    }

    /// The colour of depth `d` (m) in range `r`.
    static func color(_ d: Float, _ r: ClosedRange<Float>?) -> RGB {
        guard d > 0, d.isFinite, let r else { return noData }
        let span = r.upperBound - r.lowerBound
        return Turbo.color(span > 0 ? Double((d - r.lowerBound) / span) : 0.5)
    }

    @inline(__always)
    static func meters(_ b: UnsafeRawBufferPointer, _ i: Int, _ unit: DepthUnit) -> Float {
        unit == .meters ? b.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                        : Float(b.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) / 1000
    }
}
