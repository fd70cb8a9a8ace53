import CHorus
/// A depth map in a pool slot, stored as float32 meters or uint16 millimeters and read
/// in meters either way. `asTensor()` is a zero-copy [H, W] view of the stored values.
public struct DepthImage: PoolBackedMessage {
    public static var kind: MessageKind { .depthImage }
    public let unit: DepthUnit
    public var timestampNs: UInt64
    public var frameID: String
    /// Internal (not private) so `readOnlyView` can flip the view's read-only flag in place.
    @usableFromInline var tensor: Tensor

    /// A new depth image, zero-filled (0 = no measurement) unless `zeroed: false`: a loan,
    /// whose slot keeps the bytes it last held (of this namespace), for producers that write every pixel.
    public init(height: Int, width: Int, unit: DepthUnit = .meters, pool: Pool? = nil, timestampNs: UInt64 = 0, frameID: String = "",
                zeroed: Bool = true) throws {
        tensor = try Tensor(dims: Dims(height, width), dtype: unit.dtype, pool: pool, zeroed: zeroed)
        self.unit = unit
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// Wraps an [H, W] tensor of the unit's dtype (shares its slot).
    public init(tensor: Tensor, unit: DepthUnit, timestampNs: UInt64 = 0, frameID: String = "") {
        precondition(tensor.dtype == unit.dtype && tensor.ndim == 2, "a \(unit) depth image needs an [H, W] \(unit.dtype) tensor")
        self.tensor = tensor
        self.unit = unit
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// A new depth image whose values are left as the slot had them (a decoder overwrites them all).
    package init(uninitializedHeight height: Int, width: Int, unit: DepthUnit, pool: Pool, timestampNs: UInt64, frameID: String) throws {
        tensor = try Tensor(dims: Dims(height, width), dtype: unit.dtype, pool: pool, zeroed: false)
        self.unit = unit
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// Validates the untrusted descriptor at `d`, a private copy, and forms the depth image:
    /// every check of `Descriptor.decode`, without the intermediate `DecodedSample` (a
    /// topic subscriber decodes its scratch entry in place; `init(descriptor:)` is this
    /// on a copy of a descriptor value).
    @inlinable
    public init(descriptorAt d: UnsafePointer<horus_descriptor>, readOnly: Bool = false,
                cache: UnsafeMutablePointer<SlotStorageCache>? = nil) throws {
        let t = try Tensor(validatingDescriptorAt: d, expecting: .depthImage, readOnly: readOnly, cache: cache)
        guard let v = DepthUnit(rawValue: d.pointee.encoding) else {  // checked by validation; never trust twice
            throw DescriptorError.wrongKind(expected: .depthImage, found: "DepthImage with encoding \(d.pointee.encoding)")
        }
        tensor = t
        unit = v
        timestampNs = d.pointee.timestamp_ns
        frameID = Descriptor.frameID(at: d)
    }

    public init(decoded d: DecodedSample) throws {
        guard d.kind == .depthImage, let u = DepthUnit(rawValue: d.encoding) else {
            throw DescriptorError.wrongKind(expected: .depthImage, found: d.kind.description)
        }
        tensor = d.tensor
        unit = u
        timestampNs = d.timestampNs
        frameID = d.frameID
    }

    public var height: Int { tensor.shape[0] }
    public var width: Int { tensor.shape[1] }
    public var isMeters: Bool { unit == .meters }
    public var isMillimeters: Bool { unit == .millimeters }
    public var nbytes: Int { tensor.nbytes }

    public func asTensor() -> Tensor { tensor }

    public func writeDescriptor(into d: UnsafeMutablePointer<horus_descriptor>) {
        Descriptor.encode(tensor: tensor, kind: .depthImage, encoding: unit.rawValue, timestampNs: timestampNs, frameID: frameID, into: d)
    }

    /// Depth at column `x`, row `y`, in meters (0 where there is no measurement).
    public func depth(x: Int, y: Int) -> Float {
        let v = tensor[element: y, x]
        return unit == .meters ? Float(v) : Float(v) / 1000
    }

    /// Stores a depth in meters (rounded to whole millimeters for uint16 storage).
    public func setDepth(x: Int, y: Int, meters: Float) {
        tensor[element: y, x] = unit == .meters ? Double(meters) : (Double(meters) * 1000).rounded()
    }

    /// Statistics over valid pixels (finite, > 0), in meters.
    public struct Statistics: Equatable, Sendable {
        public let validCount: Int
        public let min: Float
        public let max: Float
        public let mean: Float
        public init(validCount: Int, min: Float, max: Float, mean: Float) {
            self.validCount = validCount; self.min = min; self.max = max; self.mean = mean
        }
    }

    public func statistics() -> Statistics {
        var n = 0, lo = Float.infinity, hi = -Float.infinity, sum = 0.0
        tensor.forEachElementOffset { off in
            let raw = loadDouble(tensor.baseAddress + off, tensor.dtype)
            let m = Float(unit == .meters ? raw : raw / 1000)
            if m.isFinite && m > 0 {
                n += 1
                lo = Swift.min(lo, m)
                hi = Swift.max(hi, m)
                sum += Double(m)
            }
        }
        return n == 0 ? Statistics(validCount: 0, min: 0, max: 0, mean: 0)
                      : Statistics(validCount: n, min: lo, max: hi, mean: Float(sum / Double(n)))
    }
}
