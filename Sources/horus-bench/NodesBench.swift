import HorusMessages
import ArgumentParser
import CHorus
import HorusMemory
import HorusNodes
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench nodes`: the work of each built-in node's tick on a 640x480 frame, as in
/// graphs/camera_to_costmap.yaml, through `NodeWorkloads` (the same code the nodes run,
/// output allocation in the pool included). Each is interleaved with a plain memcpy of
/// its input bytes, for scale.
struct NodesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "camera_sim, depth_to_cloud, downsampler and costmap_builder per-frame latency."
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "Samples per node.")
    var samples = 300

    @Option(help: "Untimed calls before sampling.")
    var warmup = 20

    func validate() throws {
        guard samples > 0, warmup >= 0 else { throw ValidationError("samples must be positive") }
    }

    func run() throws {
        Progress.quiet = common.quiet
        if getenv("HORUS_NAMESPACE") == nil { setenv("HORUS_NAMESPACE", "bench-\(getpid())", 1) }
        let pool = try Pool.open(name: "nodes", configuration: PoolConfiguration(classes: [
            .init(slotSize: 256, slotCount: 64),
            .init(slotSize: 64 << 10, slotCount: 16),
            .init(slotSize: 1 << 20, slotCount: 16),
            .init(slotSize: 8 << 20, slotCount: 16),
        ], processCapacity: 4))

        // camera_to_costmap.yaml parameters.
        let (width, height) = (640, 480)
        let k = PinholeIntrinsics(fx: 525, fy: 525, cx: Float(width - 1) / 2, cy: Float(height - 1) / 2, width: width, height: height)
        let pose = CameraPose(position: SIMD3(0, 0, 1.0), yaw: 0, pitch: 0.35)
        let renderer = SceneRenderer(scene: NodeWorkloads.demoScene, intrinsics: k, maxRange: 20,
                                     noise: DepthNoiseModel(baseSigma: 0.005))
        var unprojector = DepthUnprojector(intrinsics: k, minDepth: 0.1, maxDepth: 8.0, pixelStride: 1)
        unprojector.transform = pose.cameraToWorld
        let grid = VoxelGridDownsampler(leafSize: 0.05)
        let builder = CostmapBuilder(geometry: CostmapGeometry(width: 200, height: 200, resolution: 0.05, originX: 0, originY: -5),
                                     minObstacleZ: 0.1, maxObstacleZ: 2.0,
                                     inflation: InflationParameters(inscribedRadius: 0.2, inflationRadius: 0.5, costScalingFactor: 3.0))

        // One frame through the chain: the inputs of each timed stage.
        let frame = try NodeWorkloads.renderCamera(renderer: renderer, pose: pose, width: width, height: height, unit: .meters,
                                                   pool: pool, timestampNs: 1, noiseSeed: 1)
        let cloud = try NodeWorkloads.depthToCloud(depth: frame.depth, color: nil, unprojector: unprojector, pool: pool)
        let voxels = try NodeWorkloads.downsample(cloud: cloud, grid: grid, pool: pool)
        let map = try NodeWorkloads.buildCostmap(cloud: voxels, builder: builder, pool: pool)
        let lethal = map.bytes.reduce(0) { $0 + ($1 == CostmapCost.lethal ? 1 : 0) }
        Progress.note("frame: \(cloud.count) points -> \(voxels.count) voxels -> costmap with \(lethal) lethal cells")

        // memcpy baseline buffers (pre-faulted), big enough for the largest input: the raw
        // cloud (up to one xyz float triple per pixel) is larger than the camera's images.
        let maxBytes = width * height * 16
        let a = malloc(maxBytes)!, b = malloc(maxBytes)!
        defer { free(a); free(b) }
        memset(a, 1, maxBytes)
        memset(b, 2, maxBytes)
        func copy(_ n: Int) -> () -> Void {
            precondition(n <= maxBytes, "baseline copy of \(n) bytes exceeds its \(maxBytes)-byte buffers")
            return { memcpy(b, a, n); blackHole(b) }
        }

        var results = [BenchResult]()
        func stage(_ name: String, _ label: String, inputBytes: Int, goalMs: Double?, note: String, _ op: () throws -> Void) throws {
            let sampler = LatencySampler(samples: samples, batch: 1, warmupCalls: warmup, label: label)
            let (t, base) = try sampler.measureInterleaved(op, copy(inputBytes))
            results.append(BenchResult(name: name, stats: Percentiles(t), baselineName: "memcpy \(inputBytes) B",
                                       baseline: Percentiles(base), goal: goalMs.map { .p50AtMost($0 * 1e6) }, note: note))
        }

        var seed: UInt64 = 1
        try stage("camera_sim render 640x480 (info)", "camera_sim", inputBytes: width * height * 7, goalMs: nil,
                  note: "ray cast of 3 boxes + ground, rgb8 + float32 depth with noise, 2 images allocated; baseline copies the output bytes") {
            seed &+= 1
            let f = try NodeWorkloads.renderCamera(renderer: renderer, pose: pose, width: width, height: height, unit: .meters,
                                                   pool: pool, timestampNs: seed, noiseSeed: seed)
            blackHole(f.depth)
        }
        try stage("depth_to_cloud 640x480 -> world xyz", "depth_to_cloud", inputBytes: frame.depth.asTensor().nbytes, goalMs: 2,
                  note: "\(cloud.count) points, 0.1-8 m, camera->world transform, output tensor (\(unprojector.maxPointCount) points) allocated in the pool") {
            blackHole(try NodeWorkloads.depthToCloud(depth: frame.depth, color: nil, unprojector: unprojector, pool: pool))
        }
        try stage("downsampler 0.05 m leaf", "downsampler", inputBytes: cloud.count * 12, goalMs: 8,
                  note: "\(cloud.count) xyz points -> \(voxels.count) voxel centroids, output allocated in the pool") {
            blackHole(try NodeWorkloads.downsample(cloud: cloud, grid: grid, pool: pool))
        }
        try stage("costmap_builder 200x200 @ 0.05, 0.5 m inflation", "costmap_builder", inputBytes: voxels.count * 12, goalMs: 3,
                  note: "\(voxels.count) points in, \(lethal) lethal cells, inscribed 0.2 m; costmap allocated in the pool") {
            blackHole(try NodeWorkloads.buildCostmap(cloud: voxels, builder: builder, pool: pool))
        }

        var loadavg = [Double](repeating: 0, count: 3)
        _ = getloadavg(&loadavg, 3)
        BenchOutput.emit(bench: "nodes",
                         title: "horus-bench nodes (per-frame latency, camera_to_costmap.yaml parameters; load \(String(format1: loadavg[0], 2)); baseline = memcpy of the input, same run)",
                         results: results, json: common.json)
    }
}
