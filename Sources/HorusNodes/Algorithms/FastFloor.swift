/// Floor of a float as an integer without a libm call.
///
/// Swift's `rounded(.down)` lowers to a `floorf` call on baseline x86-64 (no SSE4.1 `roundss`),
/// which dominated the per-point loops. Precondition (checked by callers, not here): `v` is not NaN
/// and `|v| < 2^62`.
@inline(__always)
func floorToInt(_ v: Float) -> Int {
    let t = Int(v) // truncates toward zero
    return Float(t) > v ? t - 1 : t
}
