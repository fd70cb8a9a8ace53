/// A rigid transform `p' = R * p + t` with a 3x3 rotation stored row-major.
///
/// Used to move points from one frame into another (for example the camera optical frame into the
/// world/base frame). No orthonormality check is made on `R`, so any affine 3x3 works as well.
public struct RigidTransform: Equatable, Sendable {
    /// First row of the rotation matrix.
    public var row0: SIMD3<Float>
    /// Second row of the rotation matrix.
    public var row1: SIMD3<Float>
    /// Third row of the rotation matrix.
    public var row2: SIMD3<Float>
    /// Translation, applied after rotation.
    public var translation: SIMD3<Float>

    /// Creates a transform from rotation rows and a translation.
    public init(row0: SIMD3<Float>, row1: SIMD3<Float>, row2: SIMD3<Float>, translation: SIMD3<Float>) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
        self.translation = translation
    }

    /// Creates a transform from rotation columns (the images of the source frame's x, y, z axes
    /// expressed in the target frame) and a translation (source origin in the target frame).
    public init(column0: SIMD3<Float>, column1: SIMD3<Float>, column2: SIMD3<Float>, translation: SIMD3<Float>) {
        self.row0 = SIMD3(column0.x, column1.x, column2.x)
        self.row1 = SIMD3(column0.y, column1.y, column2.y)
        self.row2 = SIMD3(column0.z, column1.z, column2.z)
        self.translation = translation
    }

    /// Creates a transform from a row-major array of 9 rotation values and a translation.
    public init(rotationRowMajor r: [Float], translation: SIMD3<Float>) {
        precondition(r.count == 9, "rotation needs 9 values")
        self.init(row0: SIMD3(r[0], r[1], r[2]), row1: SIMD3(r[3], r[4], r[5]),
                  row2: SIMD3(r[6], r[7], r[8]), translation: translation)
    }

    /// The identity transform.
    public static let identity = RigidTransform(
        row0: SIMD3(1, 0, 0), row1: SIMD3(0, 1, 0), row2: SIMD3(0, 0, 1), translation: .zero)

    /// Column `i` (0, 1 or 2) of the rotation matrix.
    public func column(_ i: Int) -> SIMD3<Float> {
        SIMD3(row0[i], row1[i], row2[i])
    }

    /// Rotates a vector (no translation).
    @inline(__always)
    public func rotate(_ v: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3((row0 * v).sum(), (row1 * v).sum(), (row2 * v).sum())
    }

    /// Transforms a point: `R * p + t`.
    @inline(__always)
    public func apply(_ p: SIMD3<Float>) -> SIMD3<Float> {
        rotate(p) + translation
    }

    /// The composition `self * other` (apply `other` first, then `self`).
    public func composed(with other: RigidTransform) -> RigidTransform {
        RigidTransform(column0: rotate(other.column(0)), column1: rotate(other.column(1)),
                       column2: rotate(other.column(2)), translation: apply(other.translation))
    }

    /// The inverse, assuming the rotation is orthonormal (`R^T`, `-R^T t`).
    public var inverse: RigidTransform {
        let rt = RigidTransform(column0: row0, column1: row1, column2: row2, translation: .zero)
        return RigidTransform(row0: rt.row0, row1: rt.row1, row2: rt.row2, translation: -rt.rotate(translation))
    }
}
