import CHorus
/// A camera image in a pool slot: height x width pixels of an encoding (rgb8, mono16,
/// bayer_rggb8, ...), with a timestamp and frame id. `asTensor()` is a zero-copy
/// [H, W, C] view.
public struct Image: PoolBackedMessage {
    public static var kind: MessageKind { .image }
    public let encoding: ImageEncoding
    public var timestampNs: UInt64
    public var frameID: String
    /// Internal (not private) so `readOnlyView` can flip the view's read-only flag in place.
    @usableFromInline var tensor: Tensor

    /// A new image, zero-filled unless `zeroed: false` (what `loan` passes).
    public init(height: Int, width: Int, encoding: ImageEncoding = .rgb8, pool: Pool? = nil,
                timestampNs: UInt64 = 0, frameID: String = "", zeroed: Bool = true) throws {
        precondition(height >= 0 && width >= 0, "negative image size")
        tensor = try Tensor(dims: Dims(height, width, encoding.channels), dtype: encoding.dtype, pool: pool, zeroed: zeroed)
        self.encoding = encoding
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// A loan: a new image whose pixels are NOT cleared -- the way a camera driver
    /// publishes. The slot keeps the bytes it last held (of this pool's namespace only);
    /// fill every pixel (`bytes`, `asTensor()`) before publishing. A 6 MB loan costs what a
    /// 64-byte one does; `init(height:width:)` writes zeros first.
    public static func loan(height: Int, width: Int, encoding: ImageEncoding = .rgb8, pool: Pool? = nil,
                            timestampNs: UInt64 = 0, frameID: String = "") throws -> Image {
        try Image(height: height, width: width, encoding: encoding, pool: pool, timestampNs: timestampNs, frameID: frameID, zeroed: false)
    }

    /// Wraps an [H, W, C] tensor of the encoding's dtype and channel count (shares its slot;
    /// e.g. a sample the C ABI holds, published without re-validating its descriptor).
    public init(tensor: Tensor, encoding: ImageEncoding, timestampNs: UInt64 = 0, frameID: String = "") {
        precondition(tensor.dtype == encoding.dtype && tensor.ndim == 3 && tensor.shape[2] == encoding.channels,
                     "a \(encoding) image needs an [H, W, \(encoding.channels)] \(encoding.dtype) tensor")
        self.tensor = tensor
        self.encoding = encoding
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// A new image whose pixels are left as the slot had them: for decoders that overwrite
    /// every byte (their one copy), so no memset precedes it.
    package init(uninitializedHeight height: Int, width: Int, encoding: ImageEncoding, pool: Pool, timestampNs: UInt64, frameID: String) throws {
        tensor = try Tensor(dims: Dims(height, width, encoding.channels), dtype: encoding.dtype, pool: pool, zeroed: false)
        self.encoding = encoding
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// A new image holding a copy of `pixels` (row-major, interleaved channels): one memcpy.
    public init<T: TensorElement>(height: Int, width: Int, encoding: ImageEncoding, copying pixels: [T], pool: Pool? = nil) throws {
        precondition(T.dtype == encoding.dtype, "\(encoding) stores \(encoding.dtype), got \(T.dtype)")
        tensor = try Tensor(copying: pixels, shape: [height, width, encoding.channels], pool: pool)
        self.encoding = encoding
        self.timestampNs = 0
        self.frameID = ""
    }

    /// Validates the untrusted descriptor at `d`, a private copy, and forms the image:
    /// every check of `Descriptor.decode`, without the intermediate `DecodedSample` (a
    /// topic subscriber decodes its scratch entry in place; `init(descriptor:)` is this
    /// on a copy of a descriptor value).
    @inlinable
    public init(descriptorAt d: UnsafePointer<horus_descriptor>, readOnly: Bool = false,
                cache: UnsafeMutablePointer<SlotStorageCache>? = nil) throws {
        let t = try Tensor(validatingDescriptorAt: d, expecting: .image, readOnly: readOnly, cache: cache)
        guard let v = ImageEncoding(rawValue: d.pointee.encoding) else {  // checked by validation; never trust twice
            throw DescriptorError.wrongKind(expected: .image, found: "Image with encoding \(d.pointee.encoding)")
        }
        tensor = t
        encoding = v
        timestampNs = d.pointee.timestamp_ns
        frameID = Descriptor.frameID(at: d)
    }

    public init(decoded d: DecodedSample) throws {
        guard d.kind == .image, let e = ImageEncoding(rawValue: d.encoding) else {
            throw DescriptorError.wrongKind(expected: .image, found: d.kind.description)
        }
        tensor = d.tensor
        encoding = e
        timestampNs = d.timestampNs
        frameID = d.frameID
    }

    public var height: Int { tensor.shape[0] }
    public var width: Int { tensor.shape[1] }
    public var channels: Int { encoding.channels }
    public var nbytes: Int { tensor.nbytes }

    /// The [H, W, C] view of the pixels; shares the slot.
    public func asTensor() -> Tensor { tensor }

    public func writeDescriptor(into d: UnsafeMutablePointer<horus_descriptor>) {
        Descriptor.encode(tensor: tensor, kind: .image, encoding: encoding.rawValue, timestampNs: timestampNs, frameID: frameID, into: d)
    }

    /// The channel values of the pixel at column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> [Int] {
        (0..<channels).map { Int(tensor[element: y, x, $0]) }
    }

    /// Sets the channel values of the pixel at column `x`, row `y` (written to the slot).
    public func setPixel(x: Int, y: Int, _ values: [Int]) {
        precondition(values.count == channels, "\(encoding) has \(channels) channels, got \(values.count) values")
        for (c, v) in values.enumerated() { tensor[element: y, x, c] = Double(v) }
    }

    /// Raw pixel bytes (row-major, contiguous); valid while the image is alive.
    public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: tensor.baseAddress, count: tensor.nbytes) }

    public static func + (a: Image, s: Double) throws -> Tensor { try a.tensor + s }
    public static func - (a: Image, s: Double) throws -> Tensor { try a.tensor - s }
    public static func * (a: Image, s: Double) throws -> Tensor { try a.tensor * s }
    public static func / (a: Image, s: Double) throws -> Tensor { try a.tensor / s }
}
