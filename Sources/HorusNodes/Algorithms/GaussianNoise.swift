import Foundation

/// Deterministic standard-normal sampler: ``Xoshiro256StarStar`` + Box-Muller (Marsaglia's polar form).
///
/// Each Box-Muller step yields two independent samples; the second is cached and returned by the
/// next call. The sequence is a pure function of the seed.
public struct GaussianNoise: Sendable {
    private var rng: Xoshiro256StarStar
    private var cached: Double = 0
    private var hasCached = false

    /// Creates a sampler for a seed.
    public init(seed: UInt64) { rng = Xoshiro256StarStar(seed: seed) }

    /// Restarts the sequence from `seed` without allocating.
    public mutating func reseed(_ seed: UInt64) {
        rng = Xoshiro256StarStar(seed: seed)
        hasCached = false
    }

    /// Next sample from N(0, 1).
    @inline(__always)
    public mutating func nextStandardNormal() -> Double {
        if hasCached {
            hasCached = false
            return cached
        }
        // Polar form: draw (u, v) uniformly in the unit disk (rejection, ~1.27 tries on average);
        // then u * f and v * f with f = sqrt(-2 ln s / s) are independent N(0, 1). No sin/cos.
        var u = 0.0, v = 0.0, s = 0.0
        repeat {
            u = 2 * rng.nextUnitIntervalExcludingZero() - 1
            v = 2 * rng.nextUnitIntervalExcludingZero() - 1
            s = u * u + v * v
        } while s >= 1 || s == 0
        let f = (-2 * log(s) / s).squareRoot()
        cached = v * f
        hasCached = true
        return u * f
    }

    /// Next sample from N(mean, sigma^2).
    @inline(__always)
    public mutating func next(mean: Double = 0, sigma: Double) -> Double {
        mean + sigma * nextStandardNormal()
    }
}

/// Depth noise model for the camera simulator: zero-mean Gaussian with standard deviation
/// `sigma(z) = baseSigma + quadraticSigma * z^2` meters (the quadratic term mimics stereo / structured
/// light sensors), applied to every hit pixel's depth `z`. Results that would become <= 0 are clamped to
/// a tiny positive value so a hit never turns into "no data".
public struct DepthNoiseModel: Equatable, Sendable {
    /// Constant part of the standard deviation, meters.
    public var baseSigma: Float
    /// Coefficient of the `z^2` part of the standard deviation, 1/meters.
    public var quadraticSigma: Float

    /// Creates a noise model.
    public init(baseSigma: Float, quadraticSigma: Float = 0) {
        self.baseSigma = baseSigma
        self.quadraticSigma = quadraticSigma
    }

    /// Standard deviation at depth `z` (meters).
    @inline(__always)
    public func sigma(atDepth z: Float) -> Float { baseSigma + quadraticSigma * z * z }
}
