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
        let tensor = try Tensor(validating: self, expecting: expected, readOnly: readOnly,
                                registry: Unmanaged.passUnretained(registry))
        return DecodedSample(tensor: tensor, kind: MessageKind(rawValue: raw.kind)!,  // valid: the check passed
                             encoding: raw.encoding, timestampNs: raw.timestamp_ns, frameID: frameID)
    }
}

extension Tensor {
    /// The view a descriptor describes, after every check: `decode` without building a
    /// `DecodedSample`. The message types' own `init(descriptor:readOnly:)` use it and
    /// read encoding, timestamp and frame id straight from the descriptor (no
    /// intermediate struct copies or retains).
    ///
    /// The field checks are `horus_descriptor_check` (C, against the pool's local
    /// geometry); a refusal is turned into an error naming the field and value.
    @inlinable
    init(validating descriptor: Descriptor, expecting expected: MessageKind?, readOnly: Bool,
         registry: Unmanaged<PoolRegistry> = PoolRegistry.unmanagedShared) throws {
        // Pools stay attached (and registered) until the process exits: no retain needed.
        let found = registry._withUnsafeGuaranteedRef { $0.unretainedPool(id: descriptor.raw.pool_id) }
        var check = horus_dcheck_result()
        // Points at the caller's descriptor (a Descriptor is exactly its horus_descriptor):
        // no copy of the 144 bytes.
        let code = Swift.withUnsafePointer(to: descriptor) { d in
            horus_descriptor_check(UnsafeRawPointer(d).assumingMemoryBound(to: horus_descriptor.self),
                                   expected.map { Int32($0.rawValue) } ?? -1,
                                   found?._withUnsafeGuaranteedRef { $0.geometry }, &check)
        }
        guard code == HORUS_DCHECK_OK.rawValue, let found, let base = check.data,
              let dtype = DType(rawValue: check.dtype) else {
            throw descriptor.refusal(code: code, check: check, pool: found?.takeUnretainedValue(), expected: expected)
        }
        unowned(unsafe) let pool = found.takeUnretainedValue()
        let slot = check.slot, generation = check.generation
        let length = Int(check.byte_length)

        // Only now touch the slot: take a reference if the generation still matches.
        guard pool.tryRetain(slot: slot, generation: generation) else {
            throw DescriptorError.staleGeneration(pool: pool.name, slot: slot, expected: generation,
                                                  current: pool.generation(slot: slot))
        }
        let storage = SlotStorage(adopting: pool, slot: slot, generation: generation, base: UnsafeMutableRawPointer(base),
                                  byteCount: length)
        let allocated = pool.allocatedLength(slot: slot)
        guard length <= allocated else {  // storage's deinit releases the reference
            throw DescriptorError.invalidField(field: "byte_length", value: "\(length)",
                                               reason: "the slot's allocation is \(allocated) bytes")
        }
        let ndim = Int(check.ndim)
        self.init(storage: storage, dtype: dtype,
                  shape: Dims(count: ndim, zeroPadded: check.shape),
                  strides: Dims(count: ndim, zeroPadded: check.strides),
                  byteOffset: Int(check.offset),
                  readOnly: readOnly || check.read_only != 0)
    }
}
