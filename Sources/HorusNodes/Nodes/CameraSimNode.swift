import HorusMessages
import HorusGraph
import HorusMemory

/// camera_sim: ray casts a ground plane and boxes from a pinhole camera and publishes an
/// RGB image, a depth image and the camera pose, all stamped with the same time.
final class CameraSimNode: Node {
    static let spec = NodeTypeSpec(
        name: "camera_sim",
        doc: "Renders RGB + depth of a simple 3D scene (ground plane and boxes) from a pinhole camera.",
        ports: [.output("color", .image, doc: "rgb8 image"),
                .output("depth", .depthImage, doc: "depth in meters (float32) or millimeters (uint16), see depth_unit"),
                .output("pose", "Pose", doc: "camera pose in the world frame at capture time")],
        params: [
            ParamSpec("width", .int, default: .int(640), min: 8, max: 8192, doc: "image width, pixels"),
            ParamSpec("height", .int, default: .int(480), min: 8, max: 8192, doc: "image height, pixels"),
            ParamSpec("fx", .double, default: .double(525), min: 1, max: 100_000, doc: "focal length x, pixels"),
            ParamSpec("fy", .double, default: .double(525), min: 1, max: 100_000, doc: "focal length y, pixels"),
            ParamSpec("cx", .double, default: .double(-1), min: -1, max: 100_000, doc: "principal point x (-1: image center)"),
            ParamSpec("cy", .double, default: .double(-1), min: -1, max: 100_000, doc: "principal point y (-1: image center)"),
            ParamSpec("camera_x", .double, default: .double(0), doc: "camera position x, m (world, z up)"),
            ParamSpec("camera_y", .double, default: .double(0), doc: "camera position y, m"),
            ParamSpec("camera_z", .double, default: .double(1.0), min: 0.01, max: 100, doc: "camera height, m"),
            ParamSpec("yaw", .double, default: .double(0), min: -7, max: 7, doc: "heading, rad (0 looks along +x)"),
            ParamSpec("pitch", .double, default: .double(0.35), min: -1.6, max: 1.6, doc: "tilt, rad (positive looks down)"),
            ParamSpec("motion", .enumeration(["stationary", "linear", "orbit"]), default: .string("stationary"), doc: "camera trajectory"),
            ParamSpec("speed", .double, default: .double(0.5), min: 0, max: 50, doc: "m/s (linear) or rad/s (orbit)"),
            ParamSpec("max_range", .double, default: .double(20), min: 0.1, max: 1000, doc: "farthest visible surface, m"),
            ParamSpec("noise_sigma", .double, default: .double(0), min: 0, max: 1, doc: "depth noise standard deviation, m"),
            ParamSpec("seed", .int, default: .int(1), min: 0, max: 1e15, doc: "noise seed (same seed, same frames)"),
            ParamSpec("depth_unit", .enumeration(["meters", "millimeters"]), default: .string("meters"), doc: "depth storage"),
        ],
        defaultTrigger: .periodic(hz: 30),
        slotDemands: [
            SlotDemand(port: "color", elements: .params(["width", "height"]), bytesPerElement: 3),
            SlotDemand(port: "depth", elements: .params(["width", "height"]), bytesPerElement: 4,
                       bytesByParam: "depth_unit", bytesByValue: ["meters": 4, "millimeters": 2]),
        ])

    /// The demo scene: three boxes in front of the default camera, none hiding another
    /// (centers in meters; the camera sees their front faces at x = 2.75, 3.6 and 5.2).
    static let demoScene = Scene(boxes: [
        .standing(x: 3.0, y: 0.8, sizeX: 0.5, sizeY: 0.5, height: 0.8, color: RGB8(200, 60, 50)),
        .standing(x: 4.0, y: -1.2, sizeX: 0.8, sizeY: 0.4, height: 1.2, color: RGB8(50, 90, 200)),
        .standing(x: 5.5, y: 0.2, sizeX: 0.6, sizeY: 0.6, height: 0.5, color: RGB8(60, 170, 70)),
    ])

    private var color: OutputPort<Image>?
    private var depth: OutputPort<DepthImage>?
    private var pose: OutputPort<Pose>?
    private var renderer: SceneRenderer!
    private var motion: SceneMotion = .stationary(CameraPose(position: .zero))
    private var width = 0, height = 0
    private var unit = DepthUnit.meters
    private var seed: UInt64 = 0
    private var frame: UInt64 = 0
    private var startNs: UInt64 = 0

    func configure(_ c: NodeContext) throws {
        color = try c.optionalOutput("color")
        depth = try c.optionalOutput("depth")
        pose = try c.optionalOutput("pose")
        width = c.int("width")
        height = c.int("height")
        let cx = c.double("cx") < 0 ? Double(width - 1) / 2 : c.double("cx")
        let cy = c.double("cy") < 0 ? Double(height - 1) / 2 : c.double("cy")
        let k = PinholeIntrinsics(fx: Float(c.double("fx")), fy: Float(c.double("fy")), cx: Float(cx), cy: Float(cy), width: width, height: height)
        let sigma = Float(c.double("noise_sigma"))
        renderer = SceneRenderer(scene: Self.demoScene, intrinsics: k, maxRange: Float(c.double("max_range")),
                                 noise: sigma > 0 ? DepthNoiseModel(baseSigma: sigma) : nil)
        let start = CameraPose(position: SIMD3(Float(c.double("camera_x")), Float(c.double("camera_y")), Float(c.double("camera_z"))),
                               yaw: Float(c.double("yaw")), pitch: Float(c.double("pitch")))
        switch c.string("motion") {
        case "linear": motion = .linear(start: start, speed: Float(c.double("speed")))
        case "orbit": motion = .orbit(center: SIMD3(4, 0, 0), radius: 4, height: start.position.z,
                                      angularSpeed: Float(c.double("speed")) * 0.1, startAngle: .pi)
        default: motion = .stationary(start)
        }
        unit = c.string("depth_unit") == "millimeters" ? .millimeters : .meters
        seed = UInt64(c.int("seed"))
    }

    func start(_ c: NodeContext) throws { startNs = c.clock.now() }

    func tick(_ c: NodeContext) throws {
        let now = c.clock.now()
        let p = motion.pose(at: Double(now &- startNs) / 1e9)
        var (rgb, d) = try NodeWorkloads.renderCamera(renderer: renderer, pose: p, width: width, height: height, unit: unit,
                                                      pool: c.pool, timestampNs: now, noiseSeed: seed &+ frame)
        frame &+= 1
        // The frame exists once rendered: that is its capture time, shared by all three outputs.
        let stamp = c.clock.now()
        rgb.timestampNs = stamp
        d.timestampNs = stamp
        try pose?.publish(Pose(x: Double(p.position.x), y: Double(p.position.y), z: Double(p.position.z),
                               yaw: Double(p.yaw), pitch: Double(p.pitch), timestampNs: stamp))
        try color?.publish(rgb)
        try depth?.publish(d)
    }
}
