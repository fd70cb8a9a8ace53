/// SplitMix64 pseudo-random generator (Steele, Lea, Flood 2014).
///
/// Tiny, fast and fully deterministic for a given seed; used here to seed ``Xoshiro256StarStar``.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// Current internal state.
    public var state: UInt64

    /// Creates a generator from a seed (any value, including 0).
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** pseudo-random generator (Blackman, Vigna 2018), seeded through ``SplitMix64``.
///
/// Deterministic across platforms for a given seed; not cryptographic.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose 256-bit state is expanded from `seed` with SplitMix64.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform double in the half-open interval (0, 1] (never 0, safe for `log`).
    @inline(__always)
    public mutating func nextUnitIntervalExcludingZero() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }
}
