// edge_detect: Sobel gradient magnitude of an rgb8 / bgr8 / rgba8 / bgra8 / mono8 image,
// published as a mono8 image of the same size (border pixels are 0).
//
//   magnitude = min(255, scale * (|Gx| + |Gy|))     (L1 norm of the 3x3 Sobel gradient)
//
// computed on the luma  (77 R + 150 G + 29 B) >> 8  of color images. The input is read in
// place from the shared-memory slot (zero-copy); only the output image is written.
import CHorus
import HorusPluginKit

final class EdgeDetect: PluginNodeType {
    static let typeName = "edge_detect"
    static let doc = "Sobel gradient magnitude (L1) of an 8-bit image, as mono8"
    static let ports: [PluginPort] = [
        .input("image", .image, doc: "rgb8/bgr8/rgba8/bgra8/mono8 image"),
        .output("edges", .image, doc: "mono8 edge magnitude"),
    ]
    static let params: [PluginParam] = [
        .double("scale", default: 1.0, min: 0.0, max: 16.0, doc: "gain applied to |Gx| + |Gy| before clamping to 255"),
    ]
    static let defaultTrigger: PluginTrigger? = .input("image")

    static let imagePort: Int32 = 0, edgesPort: Int32 = 1
    private var scale = 1.0
    /// Luma of the current frame (reused across ticks; grows when the size does).
    private var luma: [Int32] = []

    init(host: PluginHost) throws {}

    func configure(_ host: PluginHost) throws {
        scale = host.double("scale") ?? 1.0
    }

    func tick(_ host: PluginHost) throws {
        guard let input = try host.take(Self.imagePort, latest: true) else { return }
        let h = input.height, w = input.width, c = input.channels
        guard input.raw.dtype == UInt8(HORUS_DTYPE_U8.rawValue), [1, 3, 4].contains(c) else {
            throw PluginError("edge_detect needs an 8-bit mono or color image, got encoding \(input.encoding)")
        }
        // Luma (bgr orders swap R and B weights).
        let bgr = input.encoding == 1 || input.encoding == 3
        let s0 = input.stride(0), s1 = input.stride(1), s2 = c > 1 ? input.stride(2) : 0
        if luma.count < h * w { luma = [Int32](repeating: 0, count: h * w) }
        let src = input.data.assumingMemoryBound(to: UInt8.self)
        luma.withUnsafeMutableBufferPointer { l in
            for y in 0..<h {
                for x in 0..<w {
                    let p = src + (y * s0 + x * s1)
                    if c == 1 {
                        l[y * w + x] = Int32(p[0])
                    } else {
                        let r = Int32(p[bgr ? 2 * s2 : 0]), g = Int32(p[s2]), b = Int32(p[bgr ? 0 : 2 * s2])
                        l[y * w + x] = (77 * r + 150 * g + 29 * b) >> 8
                    }
                }
            }
        }
        var out = try host.allocImage(height: h, width: w, encoding: 4 /* mono8 */)
        let dst = out.data.assumingMemoryBound(to: UInt8.self)
        let scale = self.scale
        luma.withUnsafeBufferPointer { l in
            for y in 0..<h {
                for x in 0..<w {
                    if y == 0 || x == 0 || y == h - 1 || x == w - 1 { dst[y * w + x] = 0; continue }
                    @inline(__always) func L(_ dx: Int, _ dy: Int) -> Int32 { l[(y + dy) * w + (x + dx)] }
                    let gx = (L(1, -1) + 2 * L(1, 0) + L(1, 1)) - (L(-1, -1) + 2 * L(-1, 0) + L(-1, 1))
                    let gy = (L(-1, 1) + 2 * L(0, 1) + L(1, 1)) - (L(-1, -1) + 2 * L(0, -1) + L(1, -1))
                    let m = scale * Double(abs(gx) + abs(gy))
                    dst[y * w + x] = m >= 255 ? 255 : UInt8(m)
                }
            }
        }
        out.stamp(like: input)
        try host.publish(Self.edgesPort, out)
    }
}

let edgeDetectPlugin = HorusPluginExport(name: "edge_detect_plugin", version: "1.0.0", nodeTypes: [EdgeDetect.self])

@_cdecl("horus_plugin_entry")
public func horusPluginEntry() -> UnsafeRawPointer { edgeDetectPlugin.entry }
