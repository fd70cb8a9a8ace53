import HorusMessages
import HorusGraph
import HorusMemory

/// costmap_builder: 2D occupancy grid from a world-frame cloud (z up): points in the
/// obstacle height band are lethal, lower points mark free ground, the rest stays
/// unknown; lethal cells are inflated (inscribed 253, then decaying cost).
final class CostmapBuilderNode: Node {
    static let spec = NodeTypeSpec(
        name: "costmap_builder",
        doc: "Builds an inflated 2D costmap (free 0, inscribed 253, lethal 254, unknown 255) from a point cloud.",
        ports: [.input("cloud", .pointCloud, doc: "world-frame points (z up)"),
                .output("costmap", .costmap, required: true, doc: "inflated 2D costmap (0 free, 254 lethal, 255 unknown)")],
        params: [
            ParamSpec("resolution", .double, default: .double(0.05), min: 0.001, max: 10, doc: "cell edge, m"),
            ParamSpec("width", .int, default: .int(200), min: 1, max: 20_000, doc: "cells along x"),
            ParamSpec("height", .int, default: .int(200), min: 1, max: 20_000, doc: "cells along y"),
            ParamSpec("origin_x", .double, default: .double(0), doc: "world x of the grid corner, m"),
            ParamSpec("origin_y", .double, default: .double(-5), doc: "world y of the grid corner, m"),
            ParamSpec("min_obstacle_z", .double, default: .double(0.1), min: -100, max: 100, doc: "lowest obstacle point, m"),
            ParamSpec("max_obstacle_z", .double, default: .double(2.0), min: -100, max: 100, doc: "highest obstacle point, m"),
            ParamSpec("inscribed_radius", .double, default: .double(0.2), min: 0, max: 100, doc: "robot inscribed radius, m"),
            ParamSpec("inflation_radius", .double, default: .double(0.5), min: 0, max: 100, doc: "inflation radius, m"),
            ParamSpec("cost_scaling", .double, default: .double(3.0), min: 0, max: 1000, doc: "exponential decay rate, 1/m"),
        ],
        defaultTrigger: .input("cloud"),
        slotDemands: [SlotDemand(port: "costmap", elements: .params(["width", "height"]), bytesPerElement: 1)])

    private var input: InputPort<PointCloud>!
    private var out: OutputPort<Costmap>!
    private var builder: CostmapBuilder!

    func configure(_ c: NodeContext) throws {
        input = try c.input("cloud")
        out = try c.output("costmap")
        let g = CostmapGeometry(width: c.int("width"), height: c.int("height"), resolution: Float(c.double("resolution")),
                                originX: Float(c.double("origin_x")), originY: Float(c.double("origin_y")))
        guard c.double("min_obstacle_z") <= c.double("max_obstacle_z") else {
            throw NodeError(node: c.nodeName, phase: "configure", message: "min_obstacle_z \(c.double("min_obstacle_z")) is above max_obstacle_z \(c.double("max_obstacle_z"))")
        }
        builder = CostmapBuilder(geometry: g, minObstacleZ: Float(c.double("min_obstacle_z")), maxObstacleZ: Float(c.double("max_obstacle_z")),
                                 inflation: InflationParameters(inscribedRadius: Float(c.double("inscribed_radius")),
                                                                inflationRadius: Float(c.double("inflation_radius")),
                                                                costScalingFactor: Float(c.double("cost_scaling"))))
    }

    func tick(_ c: NodeContext) throws {
        guard let cloud = input.latest() else { return }
        try out.publish(NodeWorkloads.buildCostmap(cloud: cloud, builder: builder, pool: c.pool))
    }
}
