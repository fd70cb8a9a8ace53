import HorusMessages

extension Pose {
    /// The camera pose the renderer and unprojector use (roll is ignored).
    public var cameraPose: CameraPose {
        CameraPose(position: SIMD3(Float(x), Float(y), Float(z)), yaw: Float(yaw), pitch: Float(pitch))
    }
}
