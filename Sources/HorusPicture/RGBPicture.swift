/// An 8-bit RGB raster (row-major, 3 bytes a pixel, row 0 at the top): what every
/// renderer of this module produces and what `PNGFile` writes.
public struct RGBPicture: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes, R G B per pixel.
    public var pixels: [UInt8]

    /// A picture filled with one colour.
    public init(width: Int, height: Int, fill: RGB = .black) {
        precondition(width > 0 && height > 0, "picture size must be positive, got \(width)x\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        if fill != .black { fillRect(x: 0, y: 0, width: width, height: height, fill) }
    }

    /// The colour at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = (y * width + x) * 3
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
        }
    }

    /// Sets a pixel if it lies inside the picture (drawing helpers clip through this).
    public mutating func plot(_ x: Int, _ y: Int, _ c: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        self[x, y] = c
    }

    /// Fills the rectangle, clipped to the picture.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, _ c: RGB) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { self[xx, yy] = c } }
    }

    /// Copies `other` with its top-left corner at (x, y), clipped.
    public mutating func draw(_ other: RGBPicture, atX x: Int, y: Int) {
        for yy in 0..<other.height { for xx in 0..<other.width { plot(x + xx, y + yy, other[xx, yy]) } }
    }

    /// This picture with a band of `height` rows of `fill` added below it (for legends).
    public func extended(byRows rows: Int, fill: RGB) -> RGBPicture {
        var p = RGBPicture(width: width, height: height + rows, fill: fill)
        p.pixels.replaceSubrange(0..<pixels.count, with: pixels)
        return p
    }
}

/// One 8-bit RGB colour.
public struct RGB: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    public static let black = RGB(0, 0, 0)
    public static let white = RGB(255, 255, 255)
    public var description: String { "(\(r), \(g), \(b))" }
}
