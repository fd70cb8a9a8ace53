import CHorus

extension Descriptor {
    /// The error for a descriptor that `horus_descriptor_check` refused with `code`:
    /// names the field, its value and why (the slow path; only runs on refusal).
    @usableFromInline
    func refusal(code: Int32, check: horus_dcheck_result, pool: Pool?, expected: MessageKind?) -> DescriptorError {
        let r = raw
        let ndim = Int(r.ndim)
        let dtype = DType(rawValue: r.dtype)
        func bad(_ field: String, _ value: CustomStringConvertible, _ why: String) -> DescriptorError {
            .invalidField(field: field, value: "\(value)", reason: why)
        }
        func geometry() -> String {
            "\(Dims(count: min(ndim, Dims.maxCount)) { Int(shape($0)) }) x \(Dims(count: min(ndim, Dims.maxCount)) { Int(stride($0)) })"
        }
        let dim = Int(check.dim)
        switch horus_dcheck_code(rawValue: UInt32(bitPattern: code)) {
        case HORUS_DCHECK_MAGIC: return bad("magic", "0x" + String(r.magic, radix: 16), "not a horus descriptor")
        case HORUS_DCHECK_VERSION: return bad("version", r.version, "this build reads version \(HORUS_DESCRIPTOR_VERSION)")
        case HORUS_DCHECK_KIND: return bad("kind", r.kind, "unknown message kind")
        case HORUS_DCHECK_WRONG_KIND:
            return .wrongKind(expected: expected ?? .tensor, found: MessageKind(rawValue: r.kind)?.description ?? "kind \(r.kind)")
        case HORUS_DCHECK_DTYPE: return bad("dtype", r.dtype, "unknown dtype")
        case HORUS_DCHECK_NDIM: return bad("ndim", ndim, "at most \(Dims.maxCount) dimensions")
        case HORUS_DCHECK_FLAGS: return bad("flags", r.flags, "unknown flag bits")
        case HORUS_DCHECK_RESERVED: return bad("reserved0", r.reserved0, "must be zero")
        case HORUS_DCHECK_BEYOND_NDIM:
            return shape(dim) != 0 ? bad("shape[\(dim)]", shape(dim), "set beyond ndim \(ndim)")
                                   : bad("strides[\(dim)]", stride(dim), "set beyond ndim \(ndim)")
        case HORUS_DCHECK_FRAME_ID: return bad("frame_id", "(24 bytes)", "not NUL-terminated")
        case HORUS_DCHECK_ENCODING:
            switch MessageKind(rawValue: r.kind) {
            case .tensor: return bad("encoding", r.encoding, "must be 0 for a Tensor")
            case .image: return bad("encoding", r.encoding, "unknown image encoding")
            case .pointCloud: return bad("encoding", r.encoding, "unknown point format")
            default: return bad("encoding", r.encoding, "unknown depth unit")
            }
        case HORUS_DCHECK_ENCODING_SHAPE:
            let what = "ndim \(ndim), dtype \(dtype.map { "\($0)" } ?? "\(r.dtype)")"
            switch MessageKind(rawValue: r.kind) {
            case .image:
                let e = ImageEncoding(rawValue: r.encoding)!
                return bad("shape/dtype", what, "\(e) needs [H, W, \(e.channels)] of \(e.dtype)")
            case .pointCloud:
                let f = PointFormat(rawValue: r.encoding)!
                return bad("shape/dtype", what, "\(f) needs [N, \(f.fieldCount)] of float32")
            default:
                let u = DepthUnit(rawValue: r.encoding)!
                return bad("shape/dtype", what, "depth in \(u) needs [H, W] of \(u.dtype)")
            }
        case HORUS_DCHECK_UNKNOWN_POOL: return .unknownPool(id: r.pool_id)
        case HORUS_DCHECK_SLOT:
            return bad("slot", r.slot, "pool '\(pool?.name ?? "?")' has \(pool?.slotCount ?? 0) slots")
        case HORUS_DCHECK_BYTE_LENGTH: return bad("byte_length", r.byte_length, "slot \(r.slot) holds \(check.capacity) bytes")
        case HORUS_DCHECK_OFFSET: return bad("offset", r.offset, "beyond byte_length \(r.byte_length)")
        case HORUS_DCHECK_OFFSET_ALIGN:
            return bad("offset", r.offset, "not aligned to \(dtype.map { "\($0) (\($0.size) bytes)" } ?? "its dtype")")
        case HORUS_DCHECK_STRIDE_RANGE: return bad("strides[\(dim)]", stride(dim), "out of range")
        case HORUS_DCHECK_OVERFLOW:
            return dim >= 0 ? bad("shape[\(dim)] x strides[\(dim)]", "\(shape(dim)) x \(stride(dim))", "overflows")
                            : bad("shape x strides", geometry(), "overflows")
        case HORUS_DCHECK_OUTSIDE:
            return bad("shape x strides", geometry(), "reaches outside byte_length \(r.byte_length) from offset \(r.offset)")
        default:
            return bad("descriptor", "check code \(code)", "refused")
        }
    }
}
