import HorusMessages
import HorusGraph
import HorusMemory

/// depth_to_cloud: pinhole unprojection of each depth image into a point cloud (xyz, or
/// xyzrgb when a color image is wired), in the world frame when a pose is wired.
final class DepthToCloudNode: Node {
    static let spec = NodeTypeSpec(
        name: "depth_to_cloud",
        doc: "Unprojects depth images to point clouds (skips 0, NaN and out-of-range depth).",
        ports: [.input("depth", .depthImage, doc: "depth image to unproject"),
                .input("color", .image, optional: true, doc: "same-size rgb8 image: points get colors (xyzrgb)"),
                .input("pose", "Pose", optional: true, doc: "camera pose: points go to the world frame (else camera frame)"),
                .output("cloud", .pointCloud, required: true, doc: "the point cloud")],
        params: [
            ParamSpec("fx", .double, default: .double(525), min: 1, max: 100_000, doc: "focal length x, pixels"),
            ParamSpec("fy", .double, default: .double(525), min: 1, max: 100_000, doc: "focal length y, pixels"),
            ParamSpec("cx", .double, default: .double(-1), min: -1, max: 100_000, doc: "principal point x (-1: image center)"),
            ParamSpec("cy", .double, default: .double(-1), min: -1, max: 100_000, doc: "principal point y (-1: image center)"),
            ParamSpec("min_depth", .double, default: .double(0.1), min: 0, max: 1000, doc: "nearest accepted depth, m"),
            ParamSpec("max_depth", .double, default: .double(10), min: 0, max: 1000, doc: "farthest accepted depth, m"),
            ParamSpec("stride", .int, default: .int(1), min: 1, max: 64, doc: "use every n-th pixel in each direction"),
        ],
        defaultTrigger: .input("depth"),
        // At least 3 float32 per point (xyz; xyzrgb takes 4): a lower bound, never a false refusal.
        slotDemands: [SlotDemand(port: "cloud", elements: .input("depth", stride: "stride"), bytesPerElement: 12)])

    private var depthIn: InputPort<DepthImage>!
    private var colorIn: InputPort<Image>?
    private var poseIn: InputPort<Pose>?
    private var out: OutputPort<PointCloud>!
    private var params: (fx: Float, fy: Float, cx: Double, cy: Double, minD: Float, maxD: Float, stride: Int) = (0, 0, 0, 0, 0, 0, 1)
    private var unprojector: DepthUnprojector?
    private var lastPose: Pose?
    private var lastColor: Image?

    func configure(_ c: NodeContext) throws {
        depthIn = try c.input("depth")
        colorIn = try c.optionalInput("color")
        poseIn = try c.optionalInput("pose")
        out = try c.output("cloud")
        params = (Float(c.double("fx")), Float(c.double("fy")), c.double("cx"), c.double("cy"),
                  Float(c.double("min_depth")), Float(c.double("max_depth")), c.int("stride"))
    }

    /// The unprojector for an image size (rebuilt only when the size changes).
    private func unprojector(width: Int, height: Int) -> DepthUnprojector {
        if let u = unprojector, u.intrinsics.width == width, u.intrinsics.height == height { return u }
        let cx = params.cx < 0 ? Double(width - 1) / 2 : params.cx
        let cy = params.cy < 0 ? Double(height - 1) / 2 : params.cy
        let k = PinholeIntrinsics(fx: params.fx, fy: params.fy, cx: Float(cx), cy: Float(cy), width: width, height: height)
        let u = DepthUnprojector(intrinsics: k, minDepth: params.minD, maxDepth: params.maxD, pixelStride: params.stride)
        unprojector = u
        return u
    }

    func tick(_ c: NodeContext) throws {
        while let p = poseIn?.next() { lastPose = p }
        while let img = colorIn?.next() { lastColor = img }
        guard let d = depthIn.latest() else { return }
        var u = unprojector(width: d.width, height: d.height)
        // The pose stamped with this depth image (camera_sim publishes it first).
        if let pose = lastPose, pose.timestampNs == d.timestampNs || poseIn != nil {
            u.transform = pose.cameraPose.cameraToWorld
        }
        let color = lastColor.flatMap { $0.timestampNs == d.timestampNs && $0.width == d.width && $0.height == d.height && $0.encoding == .rgb8 ? $0 : nil }
        try out.publish(NodeWorkloads.depthToCloud(depth: d, color: color, unprojector: u, pool: c.pool))
    }
}
