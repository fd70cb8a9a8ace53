/// Errors from ``VoxelGridDownsampler``.
public enum VoxelGridError: Error, Equatable {
    /// The occupied region spans more voxels than fit in a 63-bit key (`nx * ny * nz >= 2^63`).
    case gridTooLarge
}

/// Voxel-grid downsampling: one centroid per occupied cubic voxel (PCL `VoxelGrid` semantics).
///
/// Steps per call:
/// 1. Points with a non-finite coordinate, outside the optional ``cropBox`` (inclusive), or more
///    than 2^30 voxels from the origin are dropped.
/// 2. Each point gets the integer voxel `(floor(x / leaf), floor(y / leaf), floor(z / leaf))`;
///    voxel keys are `ix' + nx * (iy' + ny * iz')` relative to the occupied minimum, so keys are
///    compact and their order equals lexicographic `(iz, iy, ix)` order of absolute voxel indices.
/// 3. A stable LSD radix sort groups points by key; each run becomes one output point: the mean
///    x, y, z (accumulated in `Double`), and for ``PointLayout/xyzrgb`` the per-channel mean of the
///    packed `0x00RRGGBB` colors (rounded to nearest), re-packed.
///
/// Output order is ascending voxel key, so results are reproducible for identical input.
/// Scratch storage grows to the largest input seen and is reused; steady-state calls do not
/// allocate. Not thread-safe: use one instance per node/thread.
public final class VoxelGridDownsampler {
    /// Voxel edge length in meters.
    public var leafSize: Float {
        didSet { precondition(leafSize > 0 && leafSize.isFinite, "leafSize must be positive") }
    }
    /// Optional crop applied before voxelization.
    public var cropBox: CropBox?

    private let voxX = ScratchBuffer<Int32>()
    private let voxY = ScratchBuffer<Int32>()
    private let voxZ = ScratchBuffer<Int32>()
    private let keys = ScratchBuffer<UInt64>()
    private let indices = ScratchBuffer<UInt32>()
    private let keys2 = ScratchBuffer<UInt64>()
    private let indices2 = ScratchBuffer<UInt32>()
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
    /// - Throws: ``VoxelGridError/gridTooLarge`` when the occupied extent is absurdly large.
    public func downsample(points: UnsafeBufferPointer<Float>, pointCount: Int? = nil, layout: PointLayout,
                           into output: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let fpp = layout.floatsPerPoint
        let n = pointCount ?? points.count / fpp
        precondition(n >= 0 && points.count >= n * fpp, "point buffer too small")
        precondition(n <= Int(UInt32.max), "too many points")
        guard n > 0, let src = points.baseAddress else { return 0 }
        voxX.reserve(n); voxY.reserve(n); voxZ.reserve(n)
        keys.reserve(n); keys2.reserve(n)
        indices.reserve(n); indices2.reserve(n)

        let vx = voxX.pointer, vy = voxY.pointer, vz = voxZ.pointer
        let kp = keys.pointer, ip = indices.pointer
        let inv = 1 / leafSize
        let limit: Float = 1_073_741_824 // 2^30
        let crop = cropBox
        let cMin = crop?.min ?? SIMD3(repeating: -.infinity)
        let cMax = crop?.max ?? SIMD3(repeating: .infinity)
        var minX = Int32.max, minY = Int32.max, minZ = Int32.max
        var maxX = Int32.min, maxY = Int32.min, maxZ = Int32.min

        // Pass 1: filter, voxel indices, bounds.
        var m = 0
        for i in 0..<n {
            let p = src + i * fpp
            let x = p[0], y = p[1], z = p[2]
            // Comparisons are false for NaN, so NaN fails the crop test; infinities fail the limit test.
            guard x >= cMin.x && x <= cMax.x && y >= cMin.y && y <= cMax.y && z >= cMin.z && z <= cMax.z
            else { continue }
            let fx = (x * inv).rounded(.down), fy = (y * inv).rounded(.down), fz = (z * inv).rounded(.down)
            guard abs(fx) < limit && abs(fy) < limit && abs(fz) < limit else { continue }
            let ix = Int32(fx), iy = Int32(fy), iz = Int32(fz)
            vx[m] = ix; vy[m] = iy; vz[m] = iz
            ip[m] = UInt32(truncatingIfNeeded: i)
            if ix < minX { minX = ix }
            if ix > maxX { maxX = ix }
            if iy < minY { minY = iy }
            if iy > maxY { maxY = iy }
            if iz < minZ { minZ = iz }
            if iz > maxZ { maxZ = iz }
            m += 1
        }
        guard m > 0 else { return 0 }

        // Pass 2: compact keys.
        let nx = UInt64(Int64(maxX) - Int64(minX) + 1)
        let ny = UInt64(Int64(maxY) - Int64(minY) + 1)
        let nz = UInt64(Int64(maxZ) - Int64(minZ) + 1)
        let (nxy, o1) = nx.multipliedReportingOverflow(by: ny)
        let (total, o2) = nxy.multipliedReportingOverflow(by: nz)
        guard !o1 && !o2 && total < (1 << 63) else { throw VoxelGridError.gridTooLarge }
        for j in 0..<m {
            let ax = UInt64(truncatingIfNeeded: Int64(vx[j]) - Int64(minX))
            let ay = UInt64(truncatingIfNeeded: Int64(vy[j]) - Int64(minY))
            let az = UInt64(truncatingIfNeeded: Int64(vz[j]) - Int64(minZ))
            kp[j] = ax &+ nx &* (ay &+ ny &* az)
        }
        let keyBits = total <= 1 ? 0 : 64 - (total - 1).leadingZeroBitCount

        // Pass 3: group by key.
        RadixSort.sort(keys: kp, values: ip, scratchKeys: keys2.pointer, scratchValues: indices2.pointer,
                       histogram: histogram.pointer, count: m, keyBits: keyBits)

        // Pass 4: one centroid per run of equal keys.
        guard let dst = output.baseAddress else { preconditionFailure("output buffer too small") }
        let capacity = output.count / fpp
        let withColor = layout == .xyzrgb
        var written = 0
        var j = 0
        while j < m {
            let key = kp[j]
            var sx = 0.0, sy = 0.0, sz = 0.0
            var sr = 0, sg = 0, sb = 0
            var k = j
            repeat {
                let p = src + Int(ip[k]) * fpp
                sx += Double(p[0]); sy += Double(p[1]); sz += Double(p[2])
                if withColor {
                    let c = p[3].bitPattern
                    sr &+= Int((c >> 16) & 0xFF); sg &+= Int((c >> 8) & 0xFF); sb &+= Int(c & 0xFF)
                }
                k += 1
            } while k < m && kp[k] == key
            precondition(written < capacity, "output buffer too small")
            let cnt = k - j
            let invCnt = 1 / Double(cnt)
            let o = dst + written * fpp
            o[0] = Float(sx * invCnt); o[1] = Float(sy * invCnt); o[2] = Float(sz * invCnt)
            if withColor {
                let half = cnt / 2
                let r = UInt32((sr + half) / cnt), g = UInt32((sg + half) / cnt), b = UInt32((sb + half) / cnt)
                o[3] = Float(bitPattern: r << 16 | g << 8 | b)
            }
            written += 1
            j = k
        }
        return written
    }
}
