import HorusMessages
import HorusGraph

/// The node types that ship with horus (camera_sim, depth_to_cloud, downsampler,
/// costmap_builder) and the message types they add (Costmap).
public enum BuiltinNodes {
    /// A catalog holding every built-in node type.
    public static func catalog() throws -> NodeCatalog {
        registerMessageTypes()
        var c = NodeCatalog()
        for (spec, factory) in all { try c.register(spec, factory: factory) }
        return c
    }

    /// Registers the message types built-in nodes use with the runner.
    public static func registerMessageTypes() {
        MessageTypeCatalog.shared.register(Pose.self)
        MessageTypeCatalog.shared.register(Costmap.self)
        MessageTypeCatalog.shared.registerPlainStruct(ObstacleAlert.self)
    }

    /// Every built-in node type with its factory.
    static var all: [(NodeTypeSpec, NodeCatalog.Factory)] {
        [(CameraSimNode.spec, { CameraSimNode() }),
         (DepthToCloudNode.spec, { DepthToCloudNode() }),
         (DownsamplerNode.spec, { DownsamplerNode() }),
         (CostmapBuilderNode.spec, { CostmapBuilderNode() })]
    }
}
