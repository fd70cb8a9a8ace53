import CHorus
/// A point cloud in a pool slot: N points of float32 fields (xyz, xyzi or xyzrgb).
/// `asTensor()` is a zero-copy [N, F] view; `cloud[i]` reads one point.
public struct PointCloud: PoolBackedMessage {
    public static var kind: MessageKind { .pointCloud }
    public let format: PointFormat
    public var timestampNs: UInt64
    public var frameID: String
    /// Internal (not private) so `readOnlyView` can flip the view's read-only flag in place.
    @usableFromInline var tensor: Tensor

    /// One point; `intensity` for xyzi, `rgb` (0x00RRGGBB) for xyzrgb.
    public struct Point: Equatable, Sendable {
        public var x: Float, y: Float, z: Float
        public var intensity: Float?
        public var rgb: UInt32?
        public init(x: Float, y: Float, z: Float, intensity: Float? = nil, rgb: UInt32? = nil) {
            self.x = x; self.y = y; self.z = z; self.intensity = intensity; self.rgb = rgb
        }
    }

    /// A new cloud of `count` points, zero-filled unless `zeroed: false`: a loan, whose
    /// slot keeps the bytes it last held (of this namespace), for producers that write every point.
    public init(count: Int, format: PointFormat = .xyz, pool: Pool? = nil, timestampNs: UInt64 = 0, frameID: String = "",
                zeroed: Bool = true) throws {
        tensor = try Tensor(dims: Dims(count, format.fieldCount), dtype: .float32, pool: pool, zeroed: zeroed)
        self.format = format
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// A new cloud holding a copy of `values` (count x fieldCount floats): one memcpy.
    public init(format: PointFormat, copying values: [Float], pool: Pool? = nil) throws {
        precondition(values.count % format.fieldCount == 0, "\(values.count) floats is not a whole number of \(format) points")
        tensor = try Tensor(copying: values, shape: [values.count / format.fieldCount, format.fieldCount], pool: pool)
        self.format = format
        self.timestampNs = 0
        self.frameID = ""
    }

    /// Wraps the first `count` rows of an [N, F] float32 tensor (e.g. a node's output buffer).
    public init(tensor: Tensor, format: PointFormat, count: Int? = nil, timestampNs: UInt64 = 0, frameID: String = "") {
        precondition(tensor.dtype == .float32 && tensor.ndim == 2 && tensor.shape[1] == format.fieldCount,
                     "a \(format) cloud needs an [N, \(format.fieldCount)] float32 tensor")
        self.tensor = count.map { tensor.slice(axis: 0, 0..<$0) } ?? tensor
        self.format = format
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// Validates the untrusted descriptor at `d`, a private copy, and forms the cloud:
    /// every check of `Descriptor.decode`, without the intermediate `DecodedSample` (a
    /// topic subscriber decodes its scratch entry in place; `init(descriptor:)` is this
    /// on a copy of a descriptor value).
    @inlinable
    public init(descriptorAt d: UnsafePointer<horus_descriptor>, readOnly: Bool = false,
                cache: UnsafeMutablePointer<SlotStorageCache>? = nil) throws {
        let t = try Tensor(validatingDescriptorAt: d, expecting: .pointCloud, readOnly: readOnly, cache: cache)
        guard let v = PointFormat(rawValue: d.pointee.encoding) else {  // checked by validation; never trust twice
            throw DescriptorError.wrongKind(expected: .pointCloud, found: "PointCloud with encoding \(d.pointee.encoding)")
        }
        tensor = t
        format = v
        timestampNs = d.pointee.timestamp_ns
        frameID = Descriptor.frameID(at: d)
    }

    public init(decoded d: DecodedSample) throws {
        guard d.kind == .pointCloud, let f = PointFormat(rawValue: d.encoding) else {
            throw DescriptorError.wrongKind(expected: .pointCloud, found: d.kind.description)
        }
        tensor = d.tensor
        format = f
        timestampNs = d.timestampNs
        frameID = d.frameID
    }

    public var count: Int { tensor.shape[0] }
    public var isXYZ: Bool { format == .xyz }
    public var hasIntensity: Bool { format.hasIntensity }
    public var hasColor: Bool { format.hasColor }
    public var nbytes: Int { tensor.nbytes }

    public func asTensor() -> Tensor { tensor }

    public func writeDescriptor(into d: UnsafeMutablePointer<horus_descriptor>) {
        Descriptor.encode(tensor: tensor, kind: .pointCloud, encoding: format.rawValue, timestampNs: timestampNs, frameID: frameID, into: d)
    }

    /// The point at `index` (negative counts from the end).
    public subscript(index: Int) -> Point {
        let i = index < 0 ? index + count : index
        precondition(i >= 0 && i < count, "point \(index) out of range 0..<\(count)")
        let x = Float(tensor[element: i, 0]), y = Float(tensor[element: i, 1]), z = Float(tensor[element: i, 2])
        switch format {
        case .xyz: return Point(x: x, y: y, z: z)
        case .xyzi: return Point(x: x, y: y, z: z, intensity: Float(tensor[element: i, 3]))
        case .xyzrgb:
            let p = tensor.baseAddress + i * tensor.strides[0] * 4 + 3 * tensor.strides[1] * 4
            return Point(x: x, y: y, z: z, rgb: p.loadUnaligned(as: UInt32.self))
        }
    }
}
