import CHorus

/// A descriptor that passed validation: a tensor view holding a reference to its slot,
/// plus the descriptor's type-specific fields.
public struct DecodedSample: @unchecked Sendable {
    public let tensor: Tensor
    public let kind: MessageKind
    public let encoding: UInt8
    public let timestampNs: UInt64
    public let frameID: String
}

extension Descriptor {
    /// Validates every field against the attached pool and, only then, takes a reference
    /// on the slot and forms the view. A descriptor from another process is untrusted: no
    /// combination of field values can make the view reach outside its slot allocation.
    ///
    /// - Parameters:
    ///   - expected: refuse descriptors of another kind.
    ///   - readOnly: mark the view read-only (received samples).
    public func decode(expecting expected: MessageKind? = nil, readOnly: Bool = false,
                       registry: PoolRegistry = .shared) throws -> DecodedSample {
        let (tensor, kind) = try validatedTensor(expecting: expected, readOnly: readOnly, registry: registry)
        return DecodedSample(tensor: tensor, kind: kind, encoding: raw.encoding, timestampNs: raw.timestamp_ns, frameID: frameID)
    }

    /// `decode` without building a `DecodedSample`: the same validation (every check),
    /// the slot reference and the view, plus the kind. The message types' own
    /// `init(descriptor:readOnly:)` use it and read encoding, timestamp and frame id
    /// straight from the descriptor (no intermediate struct copies or retains).
    @usableFromInline
    func validatedTensor(expecting expected: MessageKind?, readOnly: Bool,
                         registry: PoolRegistry) throws -> (Tensor, MessageKind) {
        let r = raw
        func bad(_ field: String, _ value: CustomStringConvertible, _ why: String) -> DescriptorError {
            .invalidField(field: field, value: "\(value)", reason: why)
        }
        guard r.magic == UInt16(HORUS_DESCRIPTOR_MAGIC) else { throw bad("magic", "0x" + String(r.magic, radix: 16), "not a horus descriptor") }
        guard r.version == UInt8(HORUS_DESCRIPTOR_VERSION) else { throw bad("version", r.version, "this build reads version \(HORUS_DESCRIPTOR_VERSION)") }
        guard let kind = MessageKind(rawValue: r.kind) else { throw bad("kind", r.kind, "unknown message kind") }
        if let expected, expected != kind { throw DescriptorError.wrongKind(expected: expected, found: kind.description) }
        guard let dtype = DType(rawValue: r.dtype) else { throw bad("dtype", r.dtype, "unknown dtype") }
        let ndim = Int(r.ndim)
        guard ndim <= Dims.maxCount else { throw bad("ndim", ndim, "at most \(Dims.maxCount) dimensions") }
        guard r.flags & ~UInt8(HORUS_DESC_FLAG_READ_ONLY) == 0 else { throw bad("flags", r.flags, "unknown flag bits") }
        guard r.reserved0 == 0 else { throw bad("reserved0", r.reserved0, "must be zero") }
        for i in ndim..<Dims.maxCount where shape(i) != 0 || stride(i) != 0 {
            throw bad("shape[\(i)]", shape(i), "set beyond ndim \(ndim)")
        }
        let frameOK = Swift.withUnsafeBytes(of: r.frame_id) { $0.contains(0) }
        guard frameOK else { throw bad("frame_id", "(24 bytes)", "not NUL-terminated") }
        try validateEncoding(kind: kind, dtype: dtype, ndim: ndim)

        guard let pool = registry.pool(id: r.pool_id) else { throw DescriptorError.unknownPool(id: r.pool_id) }
        guard Int(r.slot) < pool.slotCount else { throw bad("slot", r.slot, "pool '\(pool.name)' has \(pool.slotCount) slots") }
        let capacity = pool.capacity(ofSlot: r.slot)
        guard r.byte_length <= UInt64(capacity) else { throw bad("byte_length", r.byte_length, "slot \(r.slot) holds \(capacity) bytes") }
        let length = Int(r.byte_length)
        guard r.offset <= r.byte_length else { throw bad("offset", r.offset, "beyond byte_length \(length)") }
        let offset = Int(r.offset)
        guard offset % dtype.size == 0 else { throw bad("offset", offset, "not aligned to \(dtype) (\(dtype.size) bytes)") }

        // Geometry: the lowest and highest byte any index can reach must lie in [0, length).
        var shapeDims = Dims(), strideDims = Dims()
        var empty = false
        var lo = offset, hi = offset
        for i in 0..<ndim {
            let n = Int(shape(i))
            let s64 = stride(i)
            guard s64 > -(1 << 40) && s64 < (1 << 40) else { throw bad("strides[\(i)]", s64, "out of range") }
            let s = Int(s64)
            shapeDims.append(n)
            strideDims.append(s)
            if n == 0 { empty = true; continue }
            let (span, o1) = (n - 1).multipliedReportingOverflow(by: s)
            let (bytes, o2) = span.multipliedReportingOverflow(by: dtype.size)
            guard !o1, !o2 else { throw bad("shape[\(i)] x strides[\(i)]", "\(n) x \(s)", "overflows") }
            if bytes < 0 { lo += bytes } else { hi += bytes }
            guard lo >= 0, hi <= length else {
                throw bad("shape x strides", "\(shapeDims) x \(strideDims)", "reaches outside byte_length \(length) from offset \(offset)")
            }
        }
        if !empty {
            guard lo >= 0, hi + dtype.size <= length else {
                throw bad("shape x strides", "\(shapeDims) x \(strideDims)", "reaches outside byte_length \(length) from offset \(offset)")
            }
        }

        // Only now touch the slot: take a reference if the generation still matches.
        guard pool.tryRetain(slot: r.slot, generation: r.generation) else {
            throw DescriptorError.staleGeneration(pool: pool.name, slot: r.slot, expected: r.generation,
                                                  current: pool.generation(slot: r.slot))
        }
        let storage = SlotStorage(adopting: pool, slot: r.slot, generation: r.generation, byteCount: length)
        let allocated = pool.allocatedLength(slot: r.slot)
        guard length <= allocated else {
            throw bad("byte_length", length, "the slot's allocation is \(allocated) bytes")  // storage deinit releases
        }
        let readOnlyFlag = readOnly || (r.flags & UInt8(HORUS_DESC_FLAG_READ_ONLY)) != 0
        let tensor = Tensor(storage: storage, dtype: dtype, shape: shapeDims, strides: strideDims,
                            byteOffset: offset, readOnly: readOnlyFlag)
        return (tensor, kind)
    }

    private func validateEncoding(kind: MessageKind, dtype: DType, ndim: Int) throws {
        let r = raw
        func bad(_ field: String, _ value: CustomStringConvertible, _ why: String) -> DescriptorError {
            .invalidField(field: field, value: "\(value)", reason: why)
        }
        switch kind {
        case .tensor:
            guard r.encoding == 0 else { throw bad("encoding", r.encoding, "must be 0 for a Tensor") }
        case .image:
            guard let e = ImageEncoding(rawValue: r.encoding) else { throw bad("encoding", r.encoding, "unknown image encoding") }
            guard ndim == 3, Int(shape(2)) == e.channels, dtype == e.dtype else {
                throw bad("shape/dtype", "ndim \(ndim), dtype \(dtype)", "\(e) needs [H, W, \(e.channels)] of \(e.dtype)")
            }
        case .pointCloud:
            guard let f = PointFormat(rawValue: r.encoding) else { throw bad("encoding", r.encoding, "unknown point format") }
            guard ndim == 2, Int(shape(1)) == f.fieldCount, dtype == .float32 else {
                throw bad("shape/dtype", "ndim \(ndim), dtype \(dtype)", "\(f) needs [N, \(f.fieldCount)] of float32")
            }
        case .depthImage:
            guard let u = DepthUnit(rawValue: r.encoding) else { throw bad("encoding", r.encoding, "unknown depth unit") }
            guard ndim == 2, dtype == u.dtype else {
                throw bad("shape/dtype", "ndim \(ndim), dtype \(dtype)", "depth in \(u) needs [H, W] of \(u.dtype)")
            }
        }
    }
}
