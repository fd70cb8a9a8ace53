import HorusGraph

/// Node types used by the graph tests.
enum TestRegistry {
    static let cameraSim = NodeTypeSpec(
        name: "camera_sim", doc: "Synthetic RGB-D camera",
        ports: [.output("color", .image), .output("depth", .depthImage)],
        params: [
            ParamSpec("width", .int, default: .int(640), min: 1, max: 8192),
            ParamSpec("height", .int, default: .int(480), min: 1, max: 8192),
            ParamSpec("rate", .double, default: .double(30), min: 0.1, max: 1000),
            ParamSpec("fx", .double, default: .double(525), min: 1, max: 10000),
        ])
    static let depthToCloud = NodeTypeSpec(
        name: "depth_to_cloud",
        ports: [.input("depth", .depthImage), .input("color", .image, optional: true), .output("cloud", .pointCloud)],
        params: ["fx", "fy", "cx", "cy"].map { ParamSpec($0, .double, min: 0, max: 10000) })
    static let downsampler = NodeTypeSpec(
        name: "downsampler",
        ports: [.input("cloud", .pointCloud), .output("cloud", .pointCloud)],
        params: [
            ParamSpec("leaf_size", .double, default: .double(0.05), min: 0.001, max: 10.0),
            ParamSpec("mode", .enumeration(["voxel", "random"]), default: .string("voxel")),
        ])
    static let costmapBuilder = NodeTypeSpec(
        name: "costmap_builder",
        ports: [.input("cloud", .pointCloud), .output("costmap", .costmap)],
        params: [
            ParamSpec("resolution", .double, default: .double(0.05), min: 0.001, max: 1),
            ParamSpec("size", .int, default: .int(200), min: 1, max: 10000),
            ParamSpec("frame", .string, default: .string("map")),
            ParamSpec("inflate", .bool, default: .bool(true)),
            ParamSpec("origin", .doubleList(count: 2), default: .doubleList([0, 0])),
        ])
    static let planner = NodeTypeSpec(
        name: "planner",
        ports: [.input("costmap", .costmap), .input("pose", "Pose", optional: true), .output("cmd", "Twist")])

    static func make() -> NodeTypeRegistry {
        // swiftlint:disable:next force_try
        try! NodeTypeRegistry([cameraSim, depthToCloud, downsampler, costmapBuilder, planner])
    }
}
