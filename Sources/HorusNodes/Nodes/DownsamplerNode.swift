import HorusGraph
import HorusMemory

/// downsampler: voxel-grid filter, one centroid per occupied voxel, with an optional crop box.
final class DownsamplerNode: Node {
    static let spec = NodeTypeSpec(
        name: "downsampler",
        doc: "Voxel-grid downsampling: the centroid of the points in each occupied voxel.",
        ports: [.input("cloud", .pointCloud, doc: "points to crop and downsample"),
                .output("cloud", .pointCloud, required: true, doc: "one point per occupied voxel (centroid)")],
        params: [
            ParamSpec("leaf_size", .double, default: .double(0.05), min: 0.001, max: 10, doc: "voxel edge, m"),
            ParamSpec("crop_min", .doubleList(count: 3), default: .doubleList([-1e6, -1e6, -1e6]), doc: "crop box lower corner [x, y, z], m"),
            ParamSpec("crop_max", .doubleList(count: 3), default: .doubleList([1e6, 1e6, 1e6]), doc: "crop box upper corner [x, y, z], m"),
        ],
        defaultTrigger: .input("cloud"),
        slotDemands: [SlotDemand(port: "cloud", elements: .input("cloud", stride: nil), bytesPerElement: 12)])

    private var input: InputPort<PointCloud>!
    private var out: OutputPort<PointCloud>!
    private var grid: VoxelGridDownsampler!

    func configure(_ c: NodeContext) throws {
        input = try c.input("cloud")
        out = try c.output("cloud")
        let lo = c.doubles("crop_min").map { Float($0) }, hi = c.doubles("crop_max").map { Float($0) }
        let unbounded = lo.allSatisfy { $0 <= -1e6 } && hi.allSatisfy { $0 >= 1e6 }
        grid = VoxelGridDownsampler(leafSize: Float(c.double("leaf_size")),
                                    cropBox: unbounded ? nil : CropBox(min: SIMD3(lo[0], lo[1], lo[2]), max: SIMD3(hi[0], hi[1], hi[2])))
    }

    func tick(_ c: NodeContext) throws {
        guard let cloud = input.latest() else { return }
        guard cloud.format != .xyzi else {
            throw NodeError(node: c.nodeName, phase: "tick", message: "xyzi clouds are not supported (xyz and xyzrgb are)")
        }
        try out.publish(NodeWorkloads.downsample(cloud: cloud, grid: grid, pool: c.pool))
    }
}
