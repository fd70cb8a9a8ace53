import Foundation

/// Camera simulator: ray casts a ``Scene`` from a pinhole camera into caller-provided buffers.
///
/// Outputs (each optional, all row-major, row 0 at the top of the image):
/// - RGB8, `height * width * 3` bytes, channel order R, G, B.
/// - depth in float32 meters, `height * width` values.
/// - depth in uint16 millimeters, `height * width` values (`round(z * 1000)`; 0 when nothing is
///   hit or the depth does not fit in 16 bits).
///
/// Depth is the z coordinate in the optical frame (distance along the optical axis), **not** the
/// ray length. Pixel `(u, v)` casts the ray `R_world_optical * ((u - cx)/fx, (v - cy)/fy, 1)` from
/// the camera position (see ``CameraPose`` for frames); since that direction has optical z = 1, the
/// ray parameter of a hit equals its depth. A hit counts only if `0 < depth <= maxRange`; otherwise
/// depth is 0 and the pixel gets the sky color.
///
/// Shading: the ground uses its flat checker colors; box faces are `color * (0.35 + 0.65 * max(0, n·L))`
/// for a fixed light direction `L ∝ (0.4, 0.3, 0.85)`.
///
/// The renderer keeps per-row/per-column ray tables and a flat copy of the boxes, built once in
/// `init`; ``render(pose:rgb:depthMeters:depthMillimeters:noiseSeed:)`` does not allocate.
public final class SceneRenderer {
    /// The scene being rendered (fixed at init; create a new renderer for a new scene).
    public let scene: Scene
    /// Camera intrinsics; buffers must hold `intrinsics.pixelCount` pixels.
    public let intrinsics: PinholeIntrinsics
    /// Maximum depth (meters) at which a surface is still visible.
    public var maxRange: Float
    /// Optional Gaussian depth noise, deterministic for the `noiseSeed` passed to `render`.
    public var noise: DepthNoiseModel?

    private var columnX: [Float]
    private var rowY: [Float]
    /// Flat box table: minX, minY, minZ, maxX, maxY, maxZ per box.
    private var boxBounds: [Float]
    /// Pre-shaded face colors per box: 6 faces (-x, +x, -y, +y, -z, +z) x 3 channels.
    private var boxFaceColors: [UInt8]
    private var gaussian = GaussianNoise(seed: 0)

    /// Creates a renderer for a scene and camera.
    public init(scene: Scene, intrinsics: PinholeIntrinsics, maxRange: Float = 20, noise: DepthNoiseModel? = nil) {
        precondition(maxRange > 0, "maxRange must be positive")
        self.scene = scene
        self.intrinsics = intrinsics
        self.maxRange = maxRange
        self.noise = noise
        columnX = (0..<intrinsics.width).map { (Float($0) - intrinsics.cx) / intrinsics.fx }
        rowY = (0..<intrinsics.height).map { (Float($0) - intrinsics.cy) / intrinsics.fy }
        boxBounds = []
        boxFaceColors = []
        let light = SIMD3<Float>(0.4, 0.3, 0.85)
        let l = light / (light * light).sum().squareRoot()
        let normals: [SIMD3<Float>] = [SIMD3(-1, 0, 0), SIMD3(1, 0, 0), SIMD3(0, -1, 0),
                                       SIMD3(0, 1, 0), SIMD3(0, 0, -1), SIMD3(0, 0, 1)]
        for box in scene.boxes {
            let lo = box.min, hi = box.max
            boxBounds += [lo.x, lo.y, lo.z, hi.x, hi.y, hi.z]
            for n in normals {
                let shade = 0.35 + 0.65 * max(0, (n * l).sum())
                for c in [box.color.r, box.color.g, box.color.b] {
                    boxFaceColors.append(UInt8(min(255, (Float(c) * shade).rounded())))
                }
            }
        }
    }

    /// Renders one frame for `pose` into whichever buffers are non-nil and returns the number of
    /// pixels that hit a surface.
    ///
    /// - Parameters:
    ///   - rgb: at least `width * height * 3` bytes.
    ///   - depthMeters: at least `width * height` floats.
    ///   - depthMillimeters: at least `width * height` values.
    ///   - noiseSeed: seed for the depth noise (ignored when ``noise`` is nil); the same seed gives
    ///     bit-identical output. Pass e.g. a frame counter to vary noise over time.
    @discardableResult
    public func render(pose: CameraPose,
                       rgb: UnsafeMutableBufferPointer<UInt8>? = nil,
                       depthMeters: UnsafeMutableBufferPointer<Float>? = nil,
                       depthMillimeters: UnsafeMutableBufferPointer<UInt16>? = nil,
                       noiseSeed: UInt64 = 0) -> Int {
        let w = intrinsics.width, h = intrinsics.height, n = w * h
        if let rgb { precondition(rgb.count >= n * 3, "rgb buffer too small") }
        if let depthMeters { precondition(depthMeters.count >= n, "depth buffer too small") }
        if let depthMillimeters { precondition(depthMillimeters.count >= n, "depth buffer too small") }
        let rgbBase = rgb?.baseAddress
        let depthBase = depthMeters?.baseAddress
        let mmBase = depthMillimeters?.baseAddress

        let xf = pose.cameraToWorld
        let c0 = xf.column(0), c1 = xf.column(1), c2 = xf.column(2)
        let ox = pose.position.x, oy = pose.position.y, oz = pose.position.z
        let maxRange = self.maxRange
        let hasGround = scene.hasGround
        let checker = scene.checkerSize
        let invChecker = 1 / checker
        let gA = scene.groundColorA, gB = scene.groundColorB, sky = scene.skyColor
        let noiseModel = noise
        // Local copy: mutating a class property per pixel would pay dynamic exclusivity checks.
        var gaussian = self.gaussian
        if noiseModel != nil { gaussian.reseed(noiseSeed) }
        var hits = 0

        columnX.withUnsafeBufferPointer { colX in
        rowY.withUnsafeBufferPointer { rowYs in
        boxBounds.withUnsafeBufferPointer { boxes in
        boxFaceColors.withUnsafeBufferPointer { faceColors in
            let boxCount = boxes.count / 6
            for v in 0..<h {
                let yn = rowYs[v]
                // Ray direction = c2 + yn * c1 + xn * c0 (unnormalized, optical z = 1).
                let bx = c2.x + yn * c1.x, by = c2.y + yn * c1.y, bz = c2.z + yn * c1.z
                for u in 0..<w {
                    let xn = colX[u]
                    let dx = bx + xn * c0.x, dy = by + xn * c0.y, dz = bz + xn * c0.z
                    var best = Float.infinity
                    var r = sky.r, g = sky.g, b = sky.b
                    if hasGround && dz != 0 {
                        let t = -oz / dz
                        if t > 0 && t <= maxRange {
                            best = t
                            let px = ox + t * dx, py = oy + t * dy
                            let cx = px * invChecker, cy = py * invChecker
                            // |t| <= maxRange keeps these finite and small; floorToInt needs no libm call.
                            let parity = (floorToInt(cx) &+ floorToInt(cy)) & 1
                            if parity == 0 { r = gA.r; g = gA.g; b = gA.b } else { r = gB.r; g = gB.g; b = gB.b }
                        }
                    }
                    // One reciprocal per axis per pixel, shared by all boxes (only used when d != 0).
                    let invDx = 1 / dx, invDy = 1 / dy, invDz = 1 / dz
                    var bi = 0
                    while bi < boxCount {
                        let o = bi * 6
                        var tNear = -Float.infinity, tFar = Float.infinity
                        var face = -1
                        var miss = false
                        // x slab
                        if dx != 0 {
                            let inv = invDx
                            var t1 = (boxes[o] - ox) * inv, t2 = (boxes[o + 3] - ox) * inv
                            var f = 0
                            if t1 > t2 { swap(&t1, &t2); f = 1 }
                            if t1 > tNear { tNear = t1; face = f }
                            if t2 < tFar { tFar = t2 }
                        } else if ox < boxes[o] || ox > boxes[o + 3] { miss = true }
                        // y slab
                        if !miss {
                            if dy != 0 {
                                let inv = invDy
                                var t1 = (boxes[o + 1] - oy) * inv, t2 = (boxes[o + 4] - oy) * inv
                                var f = 2
                                if t1 > t2 { swap(&t1, &t2); f = 3 }
                                if t1 > tNear { tNear = t1; face = f }
                                if t2 < tFar { tFar = t2 }
                            } else if oy < boxes[o + 1] || oy > boxes[o + 4] { miss = true }
                        }
                        // z slab
                        if !miss {
                            if dz != 0 {
                                let inv = invDz
                                var t1 = (boxes[o + 2] - oz) * inv, t2 = (boxes[o + 5] - oz) * inv
                                var f = 4
                                if t1 > t2 { swap(&t1, &t2); f = 5 }
                                if t1 > tNear { tNear = t1; face = f }
                                if t2 < tFar { tFar = t2 }
                            } else if oz < boxes[o + 2] || oz > boxes[o + 5] { miss = true }
                        }
                        if !miss && face >= 0 && tNear <= tFar && tNear > 0 && tNear < best && tNear <= maxRange {
                            best = tNear
                            let ci = (bi * 6 + face) * 3
                            r = faceColors[ci]; g = faceColors[ci + 1]; b = faceColors[ci + 2]
                        }
                        bi += 1
                    }
                    let idx = v * w + u
                    if let rgbBase {
                        rgbBase[idx * 3] = r; rgbBase[idx * 3 + 1] = g; rgbBase[idx * 3 + 2] = b
                    }
                    var depth: Float = 0
                    if best.isFinite {
                        hits += 1
                        depth = best
                        if let noiseModel {
                            let s = Double(noiseModel.sigma(atDepth: depth))
                            depth = max(Float(Double(depth) + s * gaussian.nextStandardNormal()), 1e-6)
                        }
                    }
                    if let depthBase { depthBase[idx] = depth }
                    if let mmBase {
                        let mm = depth * 1000 + 0.5 // depth >= 0: truncation rounds to nearest
                        mmBase[idx] = mm < 65535.5 ? UInt16(mm) : 0
                    }
                }
            }
        }}}}
        self.gaussian = gaussian
        return hits
    }
}
