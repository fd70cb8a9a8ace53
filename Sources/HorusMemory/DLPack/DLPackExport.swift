import CHorus
#if canImport(Glibc)
import Glibc
#endif

// DLPack export. Each export takes its own pool reference on the slot, held by the
// managed tensor's manager_ctx (a retained SlotStorage); the consumer's single call of
// `deleter` drops it, so a NumPy/PyTorch/JAX view keeps the data alive on its own.
//
// Memory: one malloc per export holding the managed struct followed by shape[6] and
// strides[6] (int64, strides in elements, as DLPack wants). The deleter frees it.

private let dimsBytes = Dims.maxCount * 8

private func fillTensor(_ t: inout DLTensor, from tensor: Tensor, block: UnsafeMutableRawPointer) {
    let shape = block.assumingMemoryBound(to: Int64.self)
    let strides = (block + dimsBytes).assumingMemoryBound(to: Int64.self)
    for i in 0..<tensor.ndim {
        shape[i] = Int64(tensor.shape[i])
        strides[i] = Int64(tensor.strides[i])
    }
    t.data = UnsafeMutableRawPointer(tensor.storage.base)
    t.byte_offset = UInt64(tensor.byteOffset)
    t.device = DLDevice(device_type: kDLCPU, device_id: 0)
    t.ndim = Int32(tensor.ndim)
    t.dtype = tensor.dtype.dlpack
    t.shape = shape
    t.strides = strides
}

/// A new process-owned reference to the tensor's slot, retained for a manager_ctx.
private func retainedContext(_ tensor: Tensor) -> UnsafeMutableRawPointer {
    let s = tensor.storage
    s.pool.retain(slot: s.slot)
    let ref = SlotStorage(adopting: s.pool, slot: s.slot, generation: s.generation, byteCount: s.byteCount)
    return Unmanaged.passRetained(ref).toOpaque()
}

private let legacyDeleter: @convention(c) (UnsafeMutablePointer<DLManagedTensor>?) -> Void = { m in
    guard let m else { return }
    if let ctx = m.pointee.manager_ctx { Unmanaged<SlotStorage>.fromOpaque(ctx).release() }
    free(m)
}

private let versionedDeleter: @convention(c) (UnsafeMutablePointer<DLManagedTensorVersioned>?) -> Void = { m in
    guard let m else { return }
    if let ctx = m.pointee.manager_ctx { Unmanaged<SlotStorage>.fromOpaque(ctx).release() }
    free(m)
}

extension Tensor {
    /// Exports a legacy `DLManagedTensor` (DLPack < 1.0). The consumer must call its
    /// deleter exactly once; until then the slot stays allocated.
    public func exportDLPack() -> UnsafeMutablePointer<DLManagedTensor> {
        let head = MemoryLayout<DLManagedTensor>.stride
        let raw = malloc(head + 2 * dimsBytes)!
        let m = raw.bindMemory(to: DLManagedTensor.self, capacity: 1)
        m.initialize(to: DLManagedTensor())
        fillTensor(&m.pointee.dl_tensor, from: self, block: raw + head)
        m.pointee.manager_ctx = retainedContext(self)
        m.pointee.deleter = legacyDeleter
        return m
    }

    /// Exports a `DLManagedTensorVersioned` (DLPack 1.x), flagged read-only for received
    /// samples. The consumer must call its deleter exactly once.
    public func exportDLPackVersioned() -> UnsafeMutablePointer<DLManagedTensorVersioned> {
        let head = MemoryLayout<DLManagedTensorVersioned>.stride
        let raw = malloc(head + 2 * dimsBytes)!
        let m = raw.bindMemory(to: DLManagedTensorVersioned.self, capacity: 1)
        m.initialize(to: DLManagedTensorVersioned())
        m.pointee.version = DLPackVersion(major: UInt32(DLPACK_MAJOR_VERSION), minor: UInt32(DLPACK_MINOR_VERSION))
        fillTensor(&m.pointee.dl_tensor, from: self, block: raw + head)
        m.pointee.manager_ctx = retainedContext(self)
        m.pointee.deleter = versionedDeleter
        m.pointee.flags = isReadOnly ? UInt64(DLPACK_FLAG_BITMASK_READ_ONLY) : 0
        return m
    }
}

extension PoolBackedMessage {
    /// `asTensor().exportDLPack()`.
    public func exportDLPack() -> UnsafeMutablePointer<DLManagedTensor> { asTensor().exportDLPack() }
    /// `asTensor().exportDLPackVersioned()`.
    public func exportDLPackVersioned() -> UnsafeMutablePointer<DLManagedTensorVersioned> { asTensor().exportDLPackVersioned() }
}
