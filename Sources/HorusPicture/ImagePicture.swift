import HorusMemory

/// Draws camera images (every `ImageEncoding`) as RGB pictures, pixel for pixel.
///
/// rgb8/bgr8/rgba8/bgra8 keep their colours (alpha dropped); mono8 is grey; mono16 is
/// stretched so the image's largest value is white; Bayer mosaics are drawn as their raw
/// values in grey (no demosaicing, so the pattern stays visible).
public enum ImagePicture {
    /// Renders `height` rows of `width` pixels of `encoding` from row-major, contiguous `bytes`.
    public static func render(width: Int, height: Int, encoding: ImageEncoding, bytes: UnsafeRawBufferPointer) throws -> RGBPicture {
        guard width > 0, height > 0 else { throw PictureError("image size \(width)x\(height) has no pixels") }
        let (count, overflow) = width.multipliedReportingOverflow(by: height * encoding.channels * encoding.dtype.size)
        guard !overflow, bytes.count >= count else {
            throw PictureError("image \(width)x\(height) \(encoding) needs \(count) bytes, got \(bytes.count)")
        }
        var p = RGBPicture(width: width, height: height)
        let n = width * height
        p.pixels.withUnsafeMutableBufferPointer { out in
            switch encoding {
            case .rgb8, .bgr8, .rgba8, .bgra8:
                let c = encoding.channels, swap = encoding == .bgr8 || encoding == .bgra8
                for i in 0..<n {
                    let r = bytes[i * c], g = bytes[i * c + 1], b = bytes[i * c + 2]
                    out[i * 3] = swap ? b : r; out[i * 3 + 1] = g; out[i * 3 + 2] = swap ? r : b
                }
            case .mono16:
                var peak: UInt16 = 0
                for i in 0..<n { peak = max(peak, bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                for i in 0..<n {
                    let v = bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    let g = peak == 0 ? 0 : UInt8((UInt32(v) * 255 + UInt32(peak) / 2) / UInt32(peak))
                    out[i * 3] = g; out[i * 3 + 1] = g; out[i * 3 + 2] = g
                }
            case .mono8, .bayerRGGB8, .bayerBGGR8, .bayerGBRG8, .bayerGRBG8:
                for i in 0..<n { let g = bytes[i]; out[i * 3] = g; out[i * 3 + 1] = g; out[i * 3 + 2] = g }
            }
        }
        return p
    }

    /// Renders a horus `Image` (contiguous; topic and recorded images always are).
    public static func render(_ image: Image) throws -> RGBPicture {
        try ContiguousBytes.with(image.asTensor(), "image") {
            try render(width: image.width, height: image.height, encoding: image.encoding, bytes: $0)
        }
    }
}
