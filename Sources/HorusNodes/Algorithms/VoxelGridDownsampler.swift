/// Voxel-grid downsampling: one centroid per occupied cubic voxel (PCL `VoxelGrid` semantics).
///
/// Per call:
/// 1. Points with a NaN coordinate, outside the optional ``cropBox`` (inclusive), or with a voxel
///    index beyond ±2^20 on any axis (±52 km at a 5 cm leaf) are dropped.
/// 2. Each point's voxel is `(floor(x / leaf), floor(y / leaf), floor(z / leaf))`, packed into a
///    63-bit key (21 bits per axis, biased by 2^20, z in the high bits). Keys are accumulated in an
///    open-addressing hash table (linear probing, load <= 3/4), fronted by a 16K-entry
///    direct-mapped cache of recently used voxels (it stays in L2 and catches most lookups for
///    organized clouds in pixel order; there is deliberately no "same voxel as the previous point"
///    branch, which mispredicts constantly on noisy ground straddling a voxel boundary).
/// 3. Occupied voxels are radix-sorted by key, i.e. lexicographic `(iz, iy, ix)` order, and each
///    yields one output point: the mean x, y, z (accumulated in `Double`), and for
///    ``PointLayout/xyzrgb`` the per-channel mean of the packed `0x00RRGGBB` colors (rounded to
///    nearest), re-packed.
///
/// Output order is ascending voxel key, so results are reproducible for identical input.
/// The hash table and accumulators grow to the largest input seen and are reused; steady-state
/// calls do not allocate. Not thread-safe: use one instance per node/thread.
public final class VoxelGridDownsampler {
    /// Voxel edge length in meters.
    public var leafSize: Float {
        didSet { precondition(leafSize > 0 && leafSize.isFinite, "leafSize must be positive") }
    }
    /// Optional crop applied before voxelization.
    public var cropBox: CropBox?

    /// Per-voxel sums (40 bytes); colors live in a separate array touched only for xyzrgb input.
    private struct Accumulator {
        var key: UInt64
        var sx: Double, sy: Double, sz: Double
        var count: Int
    }

    private struct ColorSum {
        var r: Int, g: Int, b: Int
    }

    private struct TableEntry {
        var key: UInt64
        var slot: Int
    }

    private static let empty = UInt64.max
    private static let bias: Int64 = 1 << 20
    /// Small direct-mapped cache (hashed key -> slot, 256 KiB, stays in L2) of recently used voxels
    /// in front of the large hash table. An organized cloud in pixel order revisits the previous
    /// rows' voxels, so most lookups stop here.
    private static let recentBits = 14
    private static let recentCount = 1 << recentBits
    private let recent = ScratchBuffer<TableEntry>(capacity: recentCount)
    private let table = ScratchBuffer<TableEntry>()
    private var tableSize = 0
    private let voxels = ScratchBuffer<Accumulator>()
    private let colors = ScratchBuffer<ColorSum>()
    private let sortKeys = ScratchBuffer<UInt64>()
    private let sortValues = ScratchBuffer<UInt32>()
    private let sortKeys2 = ScratchBuffer<UInt64>()
    private let sortValues2 = ScratchBuffer<UInt32>()
    private let histogram = ScratchBuffer<Int>(capacity: RadixSort.buckets)

    /// Creates a downsampler.
    public init(leafSize: Float, cropBox: CropBox? = nil) {
        precondition(leafSize > 0 && leafSize.isFinite, "leafSize must be positive")
        self.leafSize = leafSize
        self.cropBox = cropBox
    }

    /// Downsamples `pointCount` points (default: `points.count / floatsPerPoint`) into `output`.
    ///
    /// - Parameters:
    ///   - points: `pointCount * layout.floatsPerPoint` floats, xyz first.
    ///   - output: room for (number of occupied voxels) * `layout.floatsPerPoint` floats; the input
    ///     size always suffices. Traps if too small.
    /// - Returns: the number of centroids written.
    public func downsample(points: UnsafeBufferPointer<Float>, pointCount: Int? = nil, layout: PointLayout,
                           into output: UnsafeMutableBufferPointer<Float>) -> Int {
        let fpp = layout.floatsPerPoint
        let n = pointCount ?? points.count / fpp
        precondition(n >= 0 && points.count >= n * fpp, "point buffer too small")
        precondition(n < Int(Int32.max), "too many points")
        guard n > 0, let src = points.baseAddress else { return 0 }
        voxels.reserve(n)
        let withColor = layout == .xyzrgb
        if withColor { colors.reserve(n) }
        let col = colors.pointer
        if tableSize == 0 { resizeTable(to: 4096, voxelCount: 0) }
        table.pointer.update(repeating: TableEntry(key: Self.empty, slot: 0), count: tableSize)
        let recentP = recent.pointer
        recentP.update(repeating: TableEntry(key: Self.empty, slot: 0), count: Self.recentCount)

        let inv = 1 / leafSize
        let limit = Float(Self.bias)
        let crop = cropBox
        let cMin = crop?.min ?? SIMD3(repeating: -.infinity)
        let cMax = crop?.max ?? SIMD3(repeating: .infinity)
        let acc = voxels.pointer
        var voxelCount = 0

        for i in 0..<n {
            let p = src + i * fpp
            let x = p[0], y = p[1], z = p[2]
            // Comparisons are false for NaN, so NaN fails the crop test; infinities fail the limit test.
            guard x >= cMin.x && x <= cMax.x && y >= cMin.y && y <= cMax.y && z >= cMin.z && z <= cMax.z
            else { continue }
            let sx = x * inv, sy = y * inv, sz = z * inv
            guard abs(sx) < limit && abs(sy) < limit && abs(sz) < limit else { continue }
            // Indices are in (-2^20, 2^20) here, so the biased fields fit 21 bits: wrapping ops are safe.
            let bias = Int(Self.bias)
            let ix = floorToInt(sx) &+ bias, iy = floorToInt(sy) &+ bias, iz = floorToInt(sz) &+ bias
            let key = UInt64(bitPattern: Int64(iz)) &<< 42 | UInt64(bitPattern: Int64(iy)) &<< 21
                | UInt64(bitPattern: Int64(ix))
            let r = recentP + Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) &>> UInt64(64 - Self.recentBits))
            let slotIndex: Int
            if r.pointee.key == key {
                slotIndex = r.pointee.slot
            } else {
                slotIndex = slot(for: key, voxelCount: &voxelCount)
                if withColor { col[slotIndex] = ColorSum(r: 0, g: 0, b: 0) }
                r.pointee = TableEntry(key: key, slot: slotIndex)
            }
            let a = acc + slotIndex
            a.pointee.sx += Double(x)
            a.pointee.sy += Double(y)
            a.pointee.sz += Double(z)
            a.pointee.count &+= 1
            if withColor {
                let c = p[3].bitPattern
                let cs = col + slotIndex
                cs.pointee.r &+= Int((c >> 16) & 0xFF)
                cs.pointee.g &+= Int((c >> 8) & 0xFF)
                cs.pointee.b &+= Int(c & 0xFF)
            }
        }
        guard voxelCount > 0 else { return 0 }
        precondition(output.count >= voxelCount * fpp, "output buffer too small")
        guard let dst = output.baseAddress else { return 0 }

        // Deterministic order: sort voxels by key.
        sortKeys.reserve(voxelCount); sortValues.reserve(voxelCount)
        sortKeys2.reserve(voxelCount); sortValues2.reserve(voxelCount)
        // Re-pack keys compactly relative to the occupied bounds (same order, far fewer radix passes).
        let fieldMask: UInt64 = (1 << 21) - 1
        var lo = SIMD3<UInt64>(repeating: fieldMask), hi = SIMD3<UInt64>(repeating: 0)
        for j in 0..<voxelCount {
            let k = acc[j].key
            let f = SIMD3(k & fieldMask, (k >> 21) & fieldMask, k >> 42)
            lo = pointwiseMin(lo, f)
            hi = pointwiseMax(hi, f)
        }
        let nx = hi.x - lo.x + 1, ny = hi.y - lo.y + 1, nz = hi.z - lo.z + 1
        let total = nx * ny * nz // < 2^63: each extent is < 2^21
        let keyBits = total <= 1 ? 0 : 64 - (total - 1).leadingZeroBitCount
        let sk = sortKeys.pointer, sv = sortValues.pointer
        for j in 0..<voxelCount {
            let k = acc[j].key
            sk[j] = ((k & fieldMask) - lo.x) + nx * ((((k >> 21) & fieldMask) - lo.y) + ny * ((k >> 42) - lo.z))
            sv[j] = UInt32(truncatingIfNeeded: j)
        }
        RadixSort.sort(keys: sk, values: sv, scratchKeys: sortKeys2.pointer, scratchValues: sortValues2.pointer,
                       histogram: histogram.pointer, count: voxelCount, keyBits: keyBits)

        for j in 0..<voxelCount {
            let a = acc[Int(sv[j])]
            let cs = withColor ? col[Int(sv[j])] : ColorSum(r: 0, g: 0, b: 0)
            let cnt = a.count
            let invCnt = 1 / Double(cnt)
            let o = dst + j * fpp
            o[0] = Float(a.sx * invCnt)
            o[1] = Float(a.sy * invCnt)
            o[2] = Float(a.sz * invCnt)
            if withColor {
                let half = cnt / 2
                let r = UInt32((cs.r + half) / cnt), g = UInt32((cs.g + half) / cnt), b = UInt32((cs.b + half) / cnt)
                o[3] = Float(bitPattern: r << 16 | g << 8 | b)
            }
        }
        return voxelCount
    }

    /// Finds or inserts `key`, returning its accumulator index.
    @inline(__always)
    private func slot(for key: UInt64, voxelCount: inout Int) -> Int {
        var mask = tableSize - 1
        var shift = UInt64(64 - tableSize.trailingZeroBitCount)
        var tp = table.pointer
        var h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let k = tp[h].key
            if k == key { return tp[h].slot }
            if k == Self.empty {
                if (voxelCount + 1) * 4 > tableSize * 3 {
                    // Keep the load factor <= 3/4: grow, rehash, and probe again.
                    resizeTable(to: tableSize * 2, voxelCount: voxelCount)
                    mask = tableSize - 1
                    shift = UInt64(64 - tableSize.trailingZeroBitCount)
                    tp = table.pointer
                    h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                    continue
                }
                let s = voxelCount
                voxelCount += 1
                tp[h] = TableEntry(key: key, slot: s)
                voxels.pointer[s] = Accumulator(key: key, sx: 0, sy: 0, sz: 0, count: 0)
                return s
            }
            h = (h + 1) & mask
        }
    }

    /// Resizes the table to `size` (a power of two) and reinserts the first `voxelCount` voxels.
    private func resizeTable(to size: Int, voxelCount: Int) {
        table.reserve(size)
        tableSize = size
        let tp = table.pointer
        tp.update(repeating: TableEntry(key: Self.empty, slot: 0), count: size)
        let mask = size - 1
        let shift = UInt64(64 - size.trailingZeroBitCount)
        for s in 0..<voxelCount {
            let key = voxels.pointer[s].key
            var h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while tp[h].key != Self.empty { h = (h + 1) & mask }
            tp[h] = TableEntry(key: key, slot: s)
        }
    }
}
