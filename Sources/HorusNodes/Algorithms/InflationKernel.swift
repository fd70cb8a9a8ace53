import HorusMessages
import Foundation

/// Parameters of obstacle inflation (ROS `costmap_2d` inflation layer convention).
///
/// For a cell whose center is `d` meters from the center of the nearest lethal cell:
/// - `d == 0`: lethal (254);
/// - `0 < d <= inscribedRadius`: inscribed (253);
/// - `inscribedRadius < d <= inflationRadius`:
///   `round(252 * exp(-costScalingFactor * (d - inscribedRadius)))` (ROS truncates instead of rounding);
/// - farther: not inflated.
/// Radius comparisons are made in cells with a 1e-4 cell tolerance so that exact multiples of the
/// resolution are included despite float rounding.
public struct InflationParameters: Equatable, Sendable {
    /// Inscribed radius of the robot footprint, meters.
    public var inscribedRadius: Float
    /// Radius up to which cost decays, meters.
    public var inflationRadius: Float
    /// Exponential decay rate, 1/meters.
    public var costScalingFactor: Float

    /// Creates inflation parameters.
    public init(inscribedRadius: Float, inflationRadius: Float, costScalingFactor: Float) {
        precondition(inscribedRadius >= 0 && inflationRadius >= 0 && costScalingFactor >= 0,
                     "inflation parameters must be non-negative")
        self.inscribedRadius = inscribedRadius
        self.inflationRadius = inflationRadius
        self.costScalingFactor = costScalingFactor
    }

    /// No inflation at all.
    public static let none = InflationParameters(inscribedRadius: 0, inflationRadius: 0, costScalingFactor: 0)

    /// Cost at `distance` meters from an obstacle (0 means "not inflated"), per the rules above.
    public func cost(atDistance distance: Double, resolution: Float) -> UInt8 {
        let cells = distance / Double(resolution)
        let tol = 1e-4
        if cells == 0 { return CostmapCost.lethal }
        if cells > Double(inflationRadius) / Double(resolution) + tol { return 0 }
        if cells <= Double(inscribedRadius) / Double(resolution) + tol { return CostmapCost.inscribed }
        let c = 252 * exp(-Double(costScalingFactor) * (distance - Double(inscribedRadius)))
        return UInt8(min(252, max(0, c.rounded())))
    }
}

/// Precomputed inflation stencil: every cell offset `(dx, dy) != (0, 0)` within the inflation
/// radius whose cost is > 0, with that cost. Offsets with cost 0 are dropped because they can
/// never change a cell (they neither raise a cost nor make an unknown cell known).
public struct InflationKernel: Sendable {
    /// Column offsets.
    public private(set) var dx: [Int32] = []
    /// Row offsets.
    public private(set) var dy: [Int32] = []
    /// Cost for each offset.
    public private(set) var cost: [UInt8] = []
    /// Largest |dx| or |dy| in the stencil (0 if empty).
    public private(set) var radiusCells = 0

    /// Builds the stencil for a grid resolution.
    public init(parameters: InflationParameters, resolution: Float) {
        let r = Int((Double(parameters.inflationRadius) / Double(resolution)).rounded(.up))
        guard r > 0 else { return }
        for oy in -r...r {
            for ox in -r...r where ox != 0 || oy != 0 {
                let d = Double(resolution) * Double(ox * ox + oy * oy).squareRoot()
                let c = parameters.cost(atDistance: d, resolution: resolution)
                guard c > 0 else { continue }
                dx.append(Int32(ox))
                dy.append(Int32(oy))
                cost.append(c)
                radiusCells = max(radiusCells, abs(ox), abs(oy))
            }
        }
    }

    /// Number of offsets.
    public var count: Int { cost.count }
}
