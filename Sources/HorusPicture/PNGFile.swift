import CLibPNG
import Foundation

/// Writes and reads RGB pictures as PNG files with libpng's simplified API.
public enum PNGFile {
    /// Writes `picture` to `path` (8-bit RGB, default compression).
    public static func write(_ picture: RGBPicture, to path: String) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(picture.width)
        image.height = UInt32(picture.height)
        image.format = UInt32(PNG_FORMAT_RGB)
        let ok = picture.pixels.withUnsafeBytes { png_image_write_to_file(&image, path, 0, $0.baseAddress, 0, nil) }
        guard ok != 0 else {
            let why = message(&image)
            png_image_free(&image)
            throw PictureError("cannot write PNG '\(path)': \(why)")
        }
    }

    /// Reads a PNG file as 8-bit RGB (any PNG libpng reads is converted).
    public static func read(_ path: String) throws -> RGBPicture {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            let why = message(&image)
            png_image_free(&image)
            throw PictureError("cannot read PNG '\(path)': \(why)")
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        guard image.width > 0, image.height > 0, image.width <= 1 << 15, image.height <= 1 << 15 else {
            png_image_free(&image)
            throw PictureError("PNG '\(path)' has an unsupported size \(image.width)x\(image.height)")
        }
        var p = RGBPicture(width: Int(image.width), height: Int(image.height))
        let ok = p.pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else {
            let why = message(&image)
            png_image_free(&image)
            throw PictureError("cannot decode PNG '\(path)': \(why)")
        }
        return p
    }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { b in String(decoding: b.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
