import Foundation

/// Camera position and orientation in the world frame (z up).
///
/// Frames:
/// - **World**: right-handed, z up; the ground plane is `z = 0`.
/// - **Camera body**: x forward, y left, z up. With `yaw = 0, pitch = 0` it coincides with the
///   world axes, i.e. the camera looks along world +x.
/// - **Optical** (what pixels and depth images use): x right, y down, z forward (REP 103 `_optical`).
///
/// Orientation: `R_world_body = Rz(yaw) * Ry(pitch)`. Yaw turns left (counter-clockwise seen from
/// above); a *positive pitch tilts the view down* (standard right-handed rotation about body y,
/// which points left). The camera-to-world transform of optical-frame points is
/// `p_world = R_world_body * R_body_optical * p_optical + position`, where `R_body_optical` maps
/// optical z -> body x, optical x -> body -y, optical y -> body -z. In closed form, with
/// `cy/sy = cos/sin(yaw)` and `cp/sp = cos/sin(pitch)`, the world images of the optical axes are
///
///     forward (optical z) = ( cy*cp,  sy*cp, -sp)
///     right   (optical x) = ( sy,    -cy,     0 )
///     down    (optical y) = (-sp*cy, -sp*sy, -cp)
public struct CameraPose: Equatable, Sendable {
    /// Optical center in world coordinates (meters).
    public var position: SIMD3<Float>
    /// Heading in radians about world z; 0 looks along +x, pi/2 along +y.
    public var yaw: Float
    /// Tilt in radians; positive looks down, pi/2 looks straight down.
    public var pitch: Float

    /// Creates a pose.
    public init(position: SIMD3<Float>, yaw: Float = 0, pitch: Float = 0) {
        self.position = position
        self.yaw = yaw
        self.pitch = pitch
    }

    /// Unit viewing direction (optical +z) in world coordinates.
    public var forward: SIMD3<Float> {
        SIMD3(cosf(yaw) * cosf(pitch), sinf(yaw) * cosf(pitch), -sinf(pitch))
    }

    /// Transform taking points in the optical frame (x right, y down, z forward) into the world.
    public var cameraToWorld: RigidTransform {
        let cy = cosf(yaw), sy = sinf(yaw), cp = cosf(pitch), sp = sinf(pitch)
        return RigidTransform(
            column0: SIMD3(sy, -cy, 0),
            column1: SIMD3(-sp * cy, -sp * sy, -cp),
            column2: SIMD3(cy * cp, sy * cp, -sp),
            translation: position)
    }

    /// Transform taking world points into the optical frame (inverse of ``cameraToWorld``).
    public var worldToCamera: RigidTransform { cameraToWorld.inverse }
}
