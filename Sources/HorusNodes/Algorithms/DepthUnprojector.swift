/// Pinhole unprojection of a depth image into a point buffer.
///
/// For pixel `(u, v)` with depth `z` meters (z along the optical axis), the optical-frame point is
/// `((u - cx) * z / fx, (v - cy) * z / fy, z)` (x right, y down, z forward). If ``transform`` is
/// set, each point is mapped with it (`R * p + t`, e.g. ``CameraPose/cameraToWorld``) before being
/// written. Pixels are skipped when depth is 0, NaN, infinite, or outside `[minDepth, maxDepth]`. Only every
/// `pixelStride`-th column of every `pixelStride`-th row is visited (starting at 0).
///
/// Points are written densely in row-major pixel order as ``PointLayout/xyz`` (3 floats) or
/// ``PointLayout/xyzrgb`` (4 floats, color from an RGB8 image of the same size). The output must
/// have room for ``maxPointCount`` points; `width * height` points always suffice. Every call
/// returns the number of points written and does not allocate (the ray tables are built in init).
public struct DepthUnprojector {
    /// Camera intrinsics of the depth image.
    public let intrinsics: PinholeIntrinsics
    /// Visit every `pixelStride`-th row and column (>= 1).
    public let pixelStride: Int
    /// Smallest accepted depth in meters (depth 0 is always rejected).
    public var minDepth: Float
    /// Largest accepted depth in meters.
    public var maxDepth: Float
    /// Optional transform applied to every point (camera optical frame -> target frame).
    public var transform: RigidTransform?

    private let columnX: [Float]
    private let rowY: [Float]

    /// Creates an unprojector and precomputes `(u - cx) / fx` and `(v - cy) / fy`.
    public init(intrinsics: PinholeIntrinsics, minDepth: Float = 0, maxDepth: Float = .infinity,
                pixelStride: Int = 1, transform: RigidTransform? = nil) {
        precondition(pixelStride >= 1, "pixelStride must be >= 1")
        self.intrinsics = intrinsics
        self.minDepth = minDepth
        self.maxDepth = maxDepth
        self.pixelStride = pixelStride
        self.transform = transform
        columnX = (0..<intrinsics.width).map { (Float($0) - intrinsics.cx) / intrinsics.fx }
        rowY = (0..<intrinsics.height).map { (Float($0) - intrinsics.cy) / intrinsics.fy }
    }

    /// Upper bound on the number of points one call can produce with the current stride.
    public var maxPointCount: Int {
        ((intrinsics.width + pixelStride - 1) / pixelStride) * ((intrinsics.height + pixelStride - 1) / pixelStride)
    }

    /// Unprojects a float32 depth image in meters to xyz points.
    /// - Parameters:
    ///   - depth: `height` rows of `rowStride` floats (default `rowStride = width`).
    ///   - points: room for ``maxPointCount`` * 3 floats.
    /// - Returns: the number of points written.
    public func unproject(depth: UnsafeBufferPointer<Float>, rowStride: Int? = nil,
                          into points: UnsafeMutableBufferPointer<Float>) -> Int {
        run(depth: depth, scale: 1, rowStride: rowStride, rgb: nil, rgbRowStride: nil, out: points)
    }

    /// Unprojects a uint16 depth image (`meters = raw * scale`, default millimeters) to xyz points.
    public func unproject(depthMillimeters depth: UnsafeBufferPointer<UInt16>, scale: Float = 0.001,
                          rowStride: Int? = nil, into points: UnsafeMutableBufferPointer<Float>) -> Int {
        run(depth: depth, scale: scale, rowStride: rowStride, rgb: nil, rgbRowStride: nil, out: points)
    }

    /// Unprojects a float32 meters depth image plus a registered RGB8 image to xyzrgb points.
    /// - Parameters:
    ///   - rgb: `height` rows of `rgbRowStride` bytes (default `width * 3`), channels R, G, B.
    ///   - points: room for ``maxPointCount`` * 4 floats.
    public func unproject(depth: UnsafeBufferPointer<Float>, rowStride: Int? = nil,
                          rgb: UnsafeBufferPointer<UInt8>, rgbRowStride: Int? = nil,
                          into points: UnsafeMutableBufferPointer<Float>) -> Int {
        run(depth: depth, scale: 1, rowStride: rowStride, rgb: rgb, rgbRowStride: rgbRowStride, out: points)
    }

    /// Unprojects a uint16 depth image plus a registered RGB8 image to xyzrgb points.
    public func unproject(depthMillimeters depth: UnsafeBufferPointer<UInt16>, scale: Float = 0.001,
                          rowStride: Int? = nil, rgb: UnsafeBufferPointer<UInt8>, rgbRowStride: Int? = nil,
                          into points: UnsafeMutableBufferPointer<Float>) -> Int {
        run(depth: depth, scale: scale, rowStride: rowStride, rgb: rgb, rgbRowStride: rgbRowStride, out: points)
    }

    @inline(__always)
    private func run<D: DepthSample>(depth: UnsafeBufferPointer<D>, scale: Float, rowStride: Int?,
                                     rgb: UnsafeBufferPointer<UInt8>?, rgbRowStride: Int?,
                                     out: UnsafeMutableBufferPointer<Float>) -> Int {
        let w = intrinsics.width, h = intrinsics.height, s = pixelStride
        let dStride = rowStride ?? w
        precondition(dStride >= w, "depth rowStride must be >= width")
        precondition(depth.count >= (h - 1) * dStride + w, "depth buffer too small")
        let fpp = rgb == nil ? 3 : 4
        precondition(out.count >= maxPointCount * fpp, "point buffer too small for maxPointCount points")
        let cStride = rgbRowStride ?? w * 3
        if let rgb {
            precondition(cStride >= w * 3, "rgbRowStride must be >= width * 3")
            precondition(rgb.count >= (h - 1) * cStride + w * 3, "rgb buffer too small")
        }
        guard let dBase = depth.baseAddress, let oBase = out.baseAddress else { return 0 }
        let cBase = rgb?.baseAddress

        let xf = transform ?? .identity
        let c0 = xf.column(0), c1 = xf.column(1), c2 = xf.column(2), t = xf.translation
        // Reject 0 and NaN with one comparison: `d >= lo` is false for NaN, and lo > 0.
        let lo = minDepth > 0 ? minDepth : Float.leastNonzeroMagnitude
        let hi = Swift.min(maxDepth, Float.greatestFiniteMagnitude) // +infinity is never valid depth
        var n = 0
        columnX.withUnsafeBufferPointer { colX in
            rowY.withUnsafeBufferPointer { rowYs in
                guard let cx = colX.baseAddress, let ry = rowYs.baseAddress else { return }
                var v = 0
                while v < h {
                    // p = d * (R * (xn, yn, 1)) + t = d * (a + xn * c0) + t with a = R * (0, yn, 1).
                    let yn = ry[v]
                    let ax = c2.x + yn * c1.x, ay = c2.y + yn * c1.y, az = c2.z + yn * c1.z
                    let dRow = dBase + v * dStride
                    let cRow = cBase.map { $0 + v * cStride }
                    var u = 0
                    while u < w {
                        let d = D.meters(dRow[u], scale: scale)
                        if d >= lo && d <= hi {
                            let xn = cx[u]
                            let o = oBase + n * fpp
                            o[0] = d * (ax + xn * c0.x) + t.x
                            o[1] = d * (ay + xn * c0.y) + t.y
                            o[2] = d * (az + xn * c0.z) + t.z
                            if let cRow {
                                let p = cRow + u * 3
                                o[3] = Float(bitPattern: UInt32(p[0]) << 16 | UInt32(p[1]) << 8 | UInt32(p[2]))
                            }
                            n += 1
                        }
                        u += s
                    }
                    v += s
                }
            }
        }
        return n
    }
}
