/// The band under a picture that explains it: a colour bar with its range, swatches
/// with names, a scale bar. Renderers add one band with `Legend.band` and draw into it.
public enum Legend {
    static let background = RGB(32, 32, 36)
    static let ink = RGB(235, 235, 235)
    /// Legends need this many columns for their text; narrower pictures are enlarged.
    static let minWidth = 240

    /// Font scale for a picture `width` pixels wide.
    static func fontScale(_ width: Int) -> Int { width >= 480 ? 2 : 1 }

    /// Height of a band holding `lines` lines of text (and bars of one text line each).
    static func bandHeight(width: Int, lines: Int) -> Int {
        let s = fontScale(width)
        return 6 * s + lines * (BitmapFont.lineHeight + 4) * s
    }

    /// Top of text line `line` inside a band starting at row `top`.
    static func lineTop(_ top: Int, _ line: Int, width: Int) -> Int {
        let s = fontScale(width)
        return top + 4 * s + line * (BitmapFont.lineHeight + 4) * s
    }

    /// A horizontal colour bar `x0..<x1` on text line `line`, with `low` under its left end and `high` right-aligned.
    static func colorBar(_ p: inout RGBPicture, top: Int, line: Int, x0: Int, x1: Int, color: (Double) -> RGB, low: String, high: String) {
        let s = fontScale(p.width), y = lineTop(top, line, width: p.width), h = 7 * s
        let labelW = max(BitmapFont.width(of: low, scale: s), BitmapFont.width(of: high, scale: s)) + 4 * s
        BitmapFont.draw(low, into: &p, x: x0, y: y, scale: s, color: ink)
        BitmapFont.draw(high, into: &p, x: x1 - BitmapFont.width(of: high, scale: s), y: y, scale: s, color: ink)
        let b0 = x0 + labelW, b1 = x1 - labelW
        guard b1 > b0 else { return }
        for x in b0..<b1 { p.fillRect(x: x, y: y, width: 1, height: h, color(Double(x - b0) / Double(max(1, b1 - b0 - 1)))) }
    }

    /// Named colour swatches side by side on text line `line`, from `x0`.
    static func swatches(_ p: inout RGBPicture, top: Int, line: Int, x0: Int, _ items: [(RGB, String)]) {
        let s = fontScale(p.width), y = lineTop(top, line, width: p.width)
        var x = x0
        for (c, name) in items {
            p.fillRect(x: x - s, y: y - s, width: 9 * s, height: 9 * s, ink)
            p.fillRect(x: x, y: y, width: 7 * s, height: 7 * s, c)
            BitmapFont.draw(name, into: &p, x: x + 10 * s, y: y, scale: s, color: ink)
            x += 10 * s + BitmapFont.width(of: name, scale: s) + 8 * s
        }
    }

    /// Text on line `line` from `x`.
    static func text(_ p: inout RGBPicture, top: Int, line: Int, x: Int, _ t: String) {
        BitmapFont.draw(t, into: &p, x: x, y: lineTop(top, line, width: p.width), scale: fontScale(p.width), color: ink)
    }

    /// A scale bar of a round length (1, 2 or 5 x 10^k m) at most `maxPixels` long, at (x, line); returns its length in m.
    @discardableResult
    static func scaleBar(_ p: inout RGBPicture, top: Int, line: Int, x: Int, pixelsPerMeter: Double, maxPixels: Int) -> Double {
        let meters = roundLength(Double(maxPixels) / pixelsPerMeter)
        let len = Int((meters * pixelsPerMeter).rounded())
        let s = fontScale(p.width), y = lineTop(top, line, width: p.width)
        p.fillRect(x: x, y: y + 3 * s, width: len, height: 2 * s, ink)
        p.fillRect(x: x, y: y, width: s, height: 7 * s, ink)
        p.fillRect(x: x + len - s, y: y, width: s, height: 7 * s, ink)
        BitmapFont.draw(Self.meters(meters), into: &p, x: x + len + 4 * s, y: y, scale: s, color: ink)
        return meters
    }

    /// The largest 1/2/5 x 10^k not above `limit` (a positive length).
    static func roundLength(_ limit: Double) -> Double {
        guard limit > 0, limit.isFinite else { return 1 }
        var decade = 1.0
        while decade > limit { decade /= 10 }
        while decade * 10 <= limit { decade *= 10 }
        return [5.0, 2, 1].map { $0 * decade }.first { $0 <= limit } ?? decade
    }

    /// "1 M", "0.5 M", "20 M": a length for labels.
    static func meters(_ v: Double) -> String {
        v >= 1 && v == v.rounded() ? "\(Int(v)) M" : "\(number(v)) M"
    }

    /// A value with up to three significant decimals, trailing zeros dropped ("0.25", "4.8").
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        var s = String(Int((abs(v) * 100).rounded()))
        while s.count < 3 { s = "0" + s }
        let i = s.index(s.endIndex, offsetBy: -2)
        var out = String(s[..<i]) + "." + String(s[i...])
        while out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return (v < 0 && out != "0" ? "-" : "") + out
    }

    /// Integer enlargement so a `width`-pixel picture is at least `minWidth` wide (capped at 64).
    static func enlargement(forWidth width: Int, target: Int = minWidth) -> Int {
        min(64, max(1, (target + width - 1) / max(1, width)))
    }
}
