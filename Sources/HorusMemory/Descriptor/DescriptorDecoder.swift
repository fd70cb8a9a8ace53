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
    public func decode(expecting expected: MessageKind? = nil, readOnly: Bool = false) throws -> DecodedSample {
        let tensor = try Tensor(validating: self, expecting: expected, readOnly: readOnly)
        return DecodedSample(tensor: tensor, kind: MessageKind(rawValue: raw.kind)!,  // valid: the check passed
                             encoding: raw.encoding, timestampNs: raw.timestamp_ns, frameID: frameID)
    }
}

extension Descriptor {
    /// Checks every field (`horus_descriptor_check`, in C, against the pool's local
    /// geometry) and, only then, takes a reference on the slot: the slot-reference half
    /// of a decode. Kept out of line so the inlinable caller forms the view's geometry
    /// straight into its destination from this (now checked) descriptor.
    @usableFromInline
    func checkedSlot(expecting expected: MessageKind?) throws -> SlotStorage {
        var check = horus_dcheck_result()
        // The pool is looked up by id in C (horus_pool_table); pools stay attached until
        // the process exits, so the unretained object is safe to use.
        let code = Swift.withUnsafePointer(to: raw) { d in
            horus_descriptor_check_attached(d, expected.map { Int32($0.rawValue) } ?? -1, &check)
        }
        let found = check.pool.map { Unmanaged<Pool>.fromOpaque($0) }
        guard code == HORUS_DCHECK_OK.rawValue, let found, let base = check.data else {
            throw refusal(code: code, check: check, pool: found?.takeUnretainedValue(), expected: expected)
        }
        return try found._withUnsafeGuaranteedRef { pool in
            let slot = raw.slot, generation = raw.generation
            let length = Int(raw.byte_length)
            // Only now touch the slot: take a reference if the generation still matches.
            guard pool.tryRetain(slot: slot, generation: generation) else {
                throw DescriptorError.staleGeneration(pool: pool.name, slot: slot, expected: generation,
                                                      current: pool.generation(slot: slot))
            }
            let storage = SlotStorage(adopting: pool, slot: slot, generation: generation,
                                      base: UnsafeMutableRawPointer(base), byteCount: length)
            let allocated = pool.allocatedLength(slot: slot)
            guard length <= allocated else {  // storage's deinit releases the reference
                throw DescriptorError.invalidField(field: "byte_length", value: "\(length)",
                                                   reason: "the slot's allocation is \(allocated) bytes")
            }
            return storage
        }
    }
}

extension Tensor {
    /// The view a descriptor describes, after every check: `decode` without building a
    /// `DecodedSample`. The message types' own `init(descriptor:readOnly:)` use it and
    /// read encoding, timestamp and frame id straight from the descriptor (no
    /// intermediate struct copies or retains).
    ///
    /// A refusal is an error naming the field and value. The geometry is read from
    /// `descriptor` only after `checkedSlot` passed it; `descriptor` is the caller's own
    /// value, so it cannot change between the check and this read.
    @inlinable
    init(validating descriptor: Descriptor, expecting expected: MessageKind?, readOnly: Bool) throws {
        let storage = try descriptor.checkedSlot(expecting: expected)
        let r = descriptor.raw
        let ndim = Int(r.ndim)
        self.init(storage: storage, dtype: DType(rawValue: r.dtype)!,  // known: the check passed
                  shape: Dims(count: ndim, zeroPadded: r.shape),
                  strides: Dims(count: ndim, zeroPadded: r.strides),
                  byteOffset: Int(r.offset),
                  readOnly: readOnly || r.flags & UInt8(HORUS_DESC_FLAG_READ_ONLY) != 0)
    }
}
