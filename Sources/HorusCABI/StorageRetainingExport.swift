import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

// DLPack exports for horus_tensor_dlpack_capsule. Same layout as HorusMemory's
// Tensor.exportDLPack[Versioned] (one malloc: the managed struct, then shape[6] and
// strides[6]), but the manager_ctx is a +1 on the tensor's SlotStorage -- the object
// through which the tensor and all its views hold the slot -- rather than a fresh pool
// reference in a new SlotStorage. The export still keeps the slot allocated on its own
// (after every handle and Python object is gone) until its deleter runs, for one atomic
// increment instead of two shared-memory increments and an object allocation.

private let dimsBytes = Dims.maxCount * 8

private func fill(_ t: inout DLTensor, _ x: Tensor, block: UnsafeMutableRawPointer) {
    let shape = block.assumingMemoryBound(to: Int64.self)
    let strides = (block + dimsBytes).assumingMemoryBound(to: Int64.self)
    let n = x.ndim
    for i in 0..<n {
        shape[i] = Int64(x.shape[i])
        strides[i] = Int64(x.strides[i])
    }
    t.data = x.storage.base
    t.byte_offset = UInt64(x.byteOffset)
    t.device = DLDevice(device_type: kDLCPU, device_id: 0)
    t.ndim = Int32(n)
    t.dtype = x.dtype.dlpack
    t.shape = shape
    t.strides = strides
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

/// A legacy DLManagedTensor over `x`, holding a reference to its SlotStorage.
func exportLegacyRetainingStorage(_ x: Tensor) -> UnsafeMutablePointer<DLManagedTensor> {
    let head = MemoryLayout<DLManagedTensor>.stride
    let raw = malloc(head + 2 * dimsBytes)!
    let m = raw.bindMemory(to: DLManagedTensor.self, capacity: 1)
    m.initialize(to: DLManagedTensor())
    fill(&m.pointee.dl_tensor, x, block: raw + head)
    m.pointee.manager_ctx = Unmanaged.passRetained(x.storage).toOpaque()
    m.pointee.deleter = legacyDeleter
    return m
}

/// A DLManagedTensorVersioned over `x` (read-only flag from the tensor, IS_COPIED if
/// `copied`), holding a reference to its SlotStorage.
func exportVersionedRetainingStorage(_ x: Tensor, copied: Bool) -> UnsafeMutablePointer<DLManagedTensorVersioned> {
    let head = MemoryLayout<DLManagedTensorVersioned>.stride
    let raw = malloc(head + 2 * dimsBytes)!
    let m = raw.bindMemory(to: DLManagedTensorVersioned.self, capacity: 1)
    m.initialize(to: DLManagedTensorVersioned())
    m.pointee.version = DLPackVersion(major: UInt32(DLPACK_MAJOR_VERSION), minor: UInt32(DLPACK_MINOR_VERSION))
    fill(&m.pointee.dl_tensor, x, block: raw + head)
    m.pointee.manager_ctx = Unmanaged.passRetained(x.storage).toOpaque()
    m.pointee.deleter = versionedDeleter
    var flags: UInt64 = x.isReadOnly ? UInt64(DLPACK_FLAG_BITMASK_READ_ONLY) : 0
    if copied { flags |= UInt64(DLPACK_FLAG_BITMASK_IS_COPIED) }
    m.pointee.flags = flags
    return m
}
