/// The Turbo colormap (Google's rainbow replacement for depth): a smooth dark-blue ->
/// green -> yellow -> dark-red ramp, evaluated with Mikhailov's polynomial fit.
public enum Turbo {
    /// The colour of `t` in [0, 1] (clamped).
    public static func color(_ t: Double) -> RGB {
        let x = min(1, max(0, t.isNaN ? 0 : t))
        let x2 = x * x, x3 = x2 * x, x4 = x3 * x, x5 = x4 * x
        let r = 0.13572138 + 4.61539260 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5
        let g = 0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5
        let b = 0.10667330 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5
        return RGB(byte(r), byte(g), byte(b))
    }

    /// 256 precomputed colours, for per-pixel lookups.
    public static let table: [RGB] = (0..<256).map { color(Double($0) / 255) }

    private static func byte(_ v: Double) -> UInt8 { UInt8(min(255, max(0, (v * 255).rounded()))) }
}
