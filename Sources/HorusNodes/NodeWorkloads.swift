import HorusMessages
import HorusMemory

/// The work of each built-in node's tick, without ports or the runtime: the node classes
/// call these, and `horus-bench nodes` times them, so the benchmark measures exactly
/// what a running graph does (output allocation in the pool included).
public enum NodeWorkloads {
    /// The scene camera_sim renders (ground plane and three boxes).
    public static var demoScene: Scene { CameraSimNode.demoScene }

    /// camera_sim: renders RGB + depth into new pool images stamped `timestampNs`.
    public static func renderCamera(renderer: SceneRenderer, pose: CameraPose, width: Int, height: Int, unit: DepthUnit,
                                    pool: Pool, timestampNs: UInt64, noiseSeed: UInt64) throws -> (color: Image, depth: DepthImage) {
        let rgb = try Image(height: height, width: width, encoding: .rgb8, pool: pool, timestampNs: timestampNs, frameID: "camera_optical")
        let d = try DepthImage(height: height, width: width, unit: unit, pool: pool, timestampNs: timestampNs, frameID: "camera_optical")
        let rgbBuf = rgb.bytes.bindMemory(to: UInt8.self)
        if unit == .meters {
            _ = d.asTensor().withUnsafeMutableBufferPointer(as: Float.self) {
                renderer.render(pose: pose, rgb: rgbBuf, depthMeters: $0, noiseSeed: noiseSeed)
            }
        } else {
            _ = d.asTensor().withUnsafeMutableBufferPointer(as: UInt16.self) {
                renderer.render(pose: pose, rgb: rgbBuf, depthMillimeters: $0, noiseSeed: noiseSeed)
            }
        }
        return (rgb, d)
    }

    /// depth_to_cloud: allocates the output tensor (maxPointCount points, not zeroed) and
    /// unprojects `depth` (with `color` if given) through `unprojector` (world frame when
    /// its transform is set).
    public static func depthToCloud(depth d: DepthImage, color: Image?, unprojector u: DepthUnprojector, pool: Pool) throws -> PointCloud {
        let format: PointFormat = color == nil ? .xyz : .xyzrgb
        let t = try Tensor(dims: [u.maxPointCount, format.fieldCount], dtype: .float32, pool: pool, zeroed: false)
        let n: Int = t.withUnsafeMutableBufferPointer(as: Float.self) { pts in
            let depthT = d.asTensor()
            if let color {
                let rgb = UnsafeBufferPointer(start: color.asTensor().baseAddress.assumingMemoryBound(to: UInt8.self), count: color.nbytes)
                if d.unit == .meters {
                    return depthT.withUnsafeBufferPointer(as: Float.self) { u.unproject(depth: $0, rgb: rgb, into: pts) }
                }
                return depthT.withUnsafeBufferPointer(as: UInt16.self) { u.unproject(depthMillimeters: $0, rgb: rgb, into: pts) }
            }
            if d.unit == .meters {
                return depthT.withUnsafeBufferPointer(as: Float.self) { u.unproject(depth: $0, into: pts) }
            }
            return depthT.withUnsafeBufferPointer(as: UInt16.self) { u.unproject(depthMillimeters: $0, into: pts) }
        }
        return PointCloud(tensor: t, format: format, count: n, timestampNs: d.timestampNs,
                          frameID: u.transform == nil ? d.frameID : "world")
    }

    /// downsampler: voxel-grid centroids of an xyz or xyzrgb cloud into a new pool tensor.
    public static func downsample(cloud: PointCloud, grid: VoxelGridDownsampler, pool: Pool) throws -> PointCloud {
        let layout: PointLayout = cloud.format == .xyzrgb ? .xyzrgb : .xyz
        let src = cloud.asTensor()
        let t = try Tensor(dims: [max(cloud.count, 1), cloud.format.fieldCount], dtype: .float32, pool: pool, zeroed: false)
        let n = t.withUnsafeMutableBufferPointer(as: Float.self) { dst in
            src.withUnsafeBufferPointer(as: Float.self) { grid.downsample(points: $0, pointCount: cloud.count, layout: layout, into: dst) }
        }
        return PointCloud(tensor: t, format: cloud.format, count: n, timestampNs: cloud.timestampNs, frameID: cloud.frameID)
    }

    /// costmap_builder: a new costmap in the pool (all unknown), then marked and inflated.
    public static func buildCostmap(cloud: PointCloud, builder: CostmapBuilder, pool: Pool) throws -> Costmap {
        let map = try Costmap(geometry: builder.geometry, pool: pool, timestampNs: cloud.timestampNs, frameID: "world")
        let layout: PointLayout = cloud.format.fieldCount == 4 ? .xyzrgb : .xyz
        _ = cloud.asTensor().withUnsafeBufferPointer(as: Float.self) { pts in
            builder.build(points: pts, pointCount: cloud.count, layout: layout, into: map.bytes)
        }
        return map
    }
}
