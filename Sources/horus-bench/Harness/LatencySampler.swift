import CHorus

/// Monotonic nanoseconds (clock_gettime(CLOCK_MONOTONIC) via CHorus).
@inline(__always)
func monotonicNs() -> UInt64 { horus_monotonic_ns() }

/// Where `blackHole` writes, so the optimizer cannot drop the work that produced a value.
nonisolated(unsafe) private var blackHoleSink = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)

/// Keeps `value` alive and observable: a non-inlined call receives it (so it must be
/// fully formed) and copies its first bytes (up to 16) to a global buffer, so the work
/// that produced it cannot be optimized away. Copying only a prefix keeps the harness's
/// own cost independent of the value's size (a 169-byte Image is not memcpy'd again).
@inline(never)
func blackHole<T>(_ value: T) {
    withUnsafeBytes(of: value) { b in
        if let p = b.baseAddress { blackHoleSink.copyMemory(from: p, byteCount: Swift.min(b.count, 16)) }
    }
}

/// Collects latency samples of an operation.
///
/// Each sample times either one call (`batch == 1`) or `batch` consecutive calls of the
/// operation with two reads of the monotonic clock, and stores nanoseconds per call.
/// Use batches for operations shorter than the clock's resolution and read cost
/// (about 20-30 ns for a vDSO clock_gettime): with 64 calls per sample the clock costs
/// well under 1 ns per call. The operation is called through a closure (an indirect
/// call, about 1-2 ns); measure an empty operation to see that floor.
struct LatencySampler {
    /// Samples kept.
    var samples: Int
    /// Calls timed together per sample (result divided by this).
    var batch: Int = 1
    /// Untimed calls before sampling (warms caches, branch predictors, page tables).
    var warmupCalls: Int = 1_000
    /// Optional progress label printed to stderr.
    var label: String? = nil

    /// Runs `warmupCalls` untimed calls, then `samples` timed samples of `batch` calls.
    /// Returns per-call nanoseconds, one value per sample.
    @inline(never)
    func measure(_ op: () throws -> Void) rethrows -> [Double] {
        if let label { Progress.note("measuring \(label): \(samples) samples x \(batch)") }
        for _ in 0..<warmupCalls { try op() }
        var out = [Double]()
        out.reserveCapacity(samples)
        let k = batch
        for _ in 0..<samples {
            let t0 = monotonicNs()
            var i = 0
            while i < k { try op(); i += 1 }
            let t1 = monotonicNs()
            out.append(Double(t1 &- t0) / Double(k))
        }
        return out
    }

    /// As `measure`, for an operation whose results are kept and released outside the
    /// timed region: each sample runs `prepare` (untimed), then `op(0)` ... `op(batch - 1)`
    /// (timed; `op(i)` may store its result in slot i of a buffer), then `finish`
    /// (untimed). Warmup runs whole samples of this shape first, not recorded.
    @inline(never)
    func measureKeeping(prepare: () throws -> Void = {}, _ op: (Int) throws -> Void, finish: () -> Void = {}) rethrows -> [Double] {
        if let label { Progress.note("measuring \(label): \(samples) samples x \(batch)") }
        var out = [Double]()
        out.reserveCapacity(samples)
        let k = batch
        let warmupSamples = (warmupCalls + k - 1) / k
        for n in 0..<(warmupSamples + samples) {
            try prepare()
            let t0 = monotonicNs()
            var i = 0
            while i < k { try op(i); i += 1 }
            let t1 = monotonicNs()
            finish()
            if n >= warmupSamples { out.append(Double(t1 &- t0) / Double(k)) }
        }
        return out
    }

    /// Measures two operations in alternating rounds (`round` samples of each in turn),
    /// so drift in CPU frequency or load from other processes hits both equally.
    /// Used when one result is the other's baseline (e.g. copy-in vs memcpy).
    @inline(never)
    func measureInterleaved(_ a: () throws -> Void, _ b: () throws -> Void, round: Int = 5) rethrows -> ([Double], [Double]) {
        if let label { Progress.note("measuring \(label): \(samples) samples x \(batch), interleaved with its baseline") }
        for _ in 0..<warmupCalls { try a(); try b() }
        var outA = [Double](), outB = [Double]()
        outA.reserveCapacity(samples)
        outB.reserveCapacity(samples)
        let k = batch
        func one(_ op: () throws -> Void, into out: inout [Double]) rethrows {
            let t0 = monotonicNs()
            var i = 0
            while i < k { try op(); i += 1 }
            let t1 = monotonicNs()
            out.append(Double(t1 &- t0) / Double(k))
        }
        while outA.count < samples {
            let n = Swift.min(round, samples - outA.count)
            for _ in 0..<n { try one(a, into: &outA) }
            for _ in 0..<n { try one(b, into: &outB) }
        }
        return (outA, outB)
    }

    /// The clock's observed resolution: the smallest non-zero difference between two
    /// consecutive reads, and the mean cost of one read.
    static func clockCharacteristics(reads: Int = 100_000) -> (resolutionNs: UInt64, readCostNs: Double) {
        var smallest = UInt64.max
        let start = monotonicNs()
        var last = start
        for _ in 0..<reads {
            let now = monotonicNs()
            let d = now &- last
            if d > 0 && d < smallest { smallest = d }
            last = now
        }
        return (smallest, Double(last &- start) / Double(reads))
    }
}
