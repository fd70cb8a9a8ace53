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
    /// Checks every field of the descriptor at `d` (`horus_descriptor_check`, in C, against
    /// the pool's local geometry) and, only then, takes a reference on the slot: the
    /// slot-reference half of a decode. `d` must be memory no other party writes (a
    /// private copy): the caller reads the view's geometry from it after this returns.
    /// With a `cache` (a single-owner receiver's), the storage object may be a reused one.
    @usableFromInline
    static func checkedSlot(at d: UnsafePointer<horus_descriptor>, expecting expected: MessageKind?,
                            cache: UnsafeMutablePointer<SlotStorageCache>? = nil) throws -> SlotStorage {
        var check = horus_dcheck_result()
        // The pool is looked up by id in C (horus_pool_table); the registry holds every pool
        // in the table until it is closed, and a pool is closed only when nothing in the
        // process uses it (Pool.close), so the unretained object is safe to use.
        let code = horus_descriptor_check_attached(d, expected.map { Int32($0.rawValue) } ?? -1, &check)
        guard code == HORUS_DCHECK_OK.rawValue, let object = check.pool, let base = check.data else {
            throw Descriptor(raw: d.pointee).refusal(code: code, check: check,
                                                     pool: check.pool.map { Unmanaged<Pool>.fromOpaque($0).takeUnretainedValue() },
                                                     expected: expected)
        }
        return try Unmanaged<Pool>.fromOpaque(object)._withUnsafeGuaranteedRef { pool in
            let slot = d.pointee.slot, generation = d.pointee.generation
            let length = Int(d.pointee.byte_length)
            // The same allocation received again (a re-published sample): the reference the
            // cache holds serves, and the slot's header is not touched.
            if let cache, let held = cache.pointee.holding(pool, slot: slot, generation: generation, byteCount: length) { return held }
            // Only now touch the slot: take a reference if the generation still matches.
            guard pool.tryRetain(slot: slot, generation: generation) else {
                throw DescriptorError.staleGeneration(pool: pool.name, slot: slot, expected: generation,
                                                      current: pool.generation(slot: slot))
            }
            let allocated = pool.allocatedLength(slot: slot)
            guard length <= allocated else {
                pool.release(slot: slot)
                throw DescriptorError.invalidField(field: "byte_length", value: "\(length)",
                                                   reason: "the slot's allocation is \(allocated) bytes")
            }
            if let cache {
                return cache.pointee.adopt(pool, slot: slot, generation: generation,
                                           base: UnsafeMutableRawPointer(base), byteCount: length)
            }
            return SlotStorage(adopting: pool, slot: slot, generation: generation,
                               base: UnsafeMutableRawPointer(base), byteCount: length)
        }
    }
}

extension Tensor {
    /// The view the descriptor at `d` describes, after every check: `decode` without
    /// building a `DecodedSample`. The message types' own `init(descriptorAt:readOnly:)`
    /// use it and read encoding, timestamp and frame id from the same memory.
    ///
    /// `d` must be a private copy (a subscriber's scratch entry, a local value): the
    /// geometry is read from it after `checkedSlot` passed it. A refusal is an error
    /// naming the field and value.
    /// With a `cache` (a single-owner receiver's), the storage object may be a reused one.
    @inlinable
    package init(validatingDescriptorAt d: UnsafePointer<horus_descriptor>, expecting expected: MessageKind?, readOnly: Bool,
         cache: UnsafeMutablePointer<SlotStorageCache>? = nil) throws {
        let storage = try Descriptor.checkedSlot(at: d, expecting: expected, cache: cache)
        let ndim = Int(d.pointee.ndim)
        self.init(storage: storage, dtype: DType(rawValue: d.pointee.dtype)!,  // known: the check passed
                  shape: Dims(count: ndim, zeroPadded: d.pointee.shape),
                  strides: Dims(count: ndim, zeroPadded: d.pointee.strides),
                  byteOffset: Int(d.pointee.offset),
                  readOnly: readOnly || d.pointee.flags & UInt8(HORUS_DESC_FLAG_READ_ONLY) != 0)
    }

    /// `init(validatingDescriptorAt:)` for a descriptor value.
    @inlinable
    init(validating descriptor: Descriptor, expecting expected: MessageKind?, readOnly: Bool) throws {
        var raw = descriptor.raw
        try self.init(validatingDescriptorAt: &raw, expecting: expected, readOnly: readOnly)
    }
}
