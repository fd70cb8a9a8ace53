/// Floor of a float as an integer, branch-free and without a libm call.
///
/// Swift's `rounded(.down)` lowers to a `floorf` call on baseline x86-64 (no SSE4.1 `roundss`), and
/// the obvious `Float(t) > v ? t - 1 : t` compiles to a branch that mispredicts ~50% of the time for
/// noisy values straddling a cell boundary (e.g. ground points at z ≈ 0). Here the correction is the
/// sign bit of `(v - Float(trunc(v))) + 0`, which IEEE arithmetic gets exactly right (the `+ 0`
/// turns the `-0` of `v = -0.0` into `+0`; LLVM may not fold it away for floats).
/// Precondition (checked by callers, not here): `v` is not NaN and `|v| < 2^62`.
@inline(__always)
func floorToInt(_ v: Float) -> Int {
    let t = Int(v) // truncates toward zero
    return t &- Int(((v - Float(t)) + 0).bitPattern >> 31)
}
