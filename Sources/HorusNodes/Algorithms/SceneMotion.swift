import Foundation

/// Camera trajectory for the simulator: a pure function from time (seconds) to ``CameraPose``.
public enum SceneMotion: Equatable, Sendable {
    /// The camera does not move.
    case stationary(CameraPose)
    /// Straight horizontal motion along the start pose's heading (yaw) at `speed` m/s; yaw, pitch
    /// and height stay constant.
    case linear(start: CameraPose, speed: Float)
    /// Circle of `radius` around `center` (in the horizontal plane) at absolute height `height`,
    /// at `angularSpeed` rad/s counter-clockwise starting at `startAngle` (0 = on the +x side of
    /// the center). The camera always looks at `center` (yaw and pitch are derived from it).
    case orbit(center: SIMD3<Float>, radius: Float, height: Float, angularSpeed: Float, startAngle: Float)

    /// The camera pose at time `t` seconds.
    public func pose(at t: Double) -> CameraPose {
        switch self {
        case .stationary(let p):
            return p
        case .linear(let start, let speed):
            let dist = Float(Double(speed) * t)
            var p = start
            p.position.x += dist * cosf(start.yaw)
            p.position.y += dist * sinf(start.yaw)
            return p
        case .orbit(let center, let radius, let height, let angularSpeed, let startAngle):
            let a = Float(Double(startAngle) + Double(angularSpeed) * t)
            let pos = SIMD3(center.x + radius * cosf(a), center.y + radius * sinf(a), height)
            let yaw = atan2f(center.y - pos.y, center.x - pos.x)
            let pitch = atan2f(height - center.z, radius)
            return CameraPose(position: pos, yaw: yaw, pitch: pitch)
        }
    }
}
