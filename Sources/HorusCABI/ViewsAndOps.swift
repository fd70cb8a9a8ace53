import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

// Views, arithmetic, descriptors and DLPack. Every HorusMemory precondition (index
// range, axis, step, equal shapes, read-only) is checked here before the call.

// MARK: - View helpers

/// `t` indexed at `index` along `axis` (negative counts from the end); the axis is dropped.
func indexed(_ t: Tensor, axis: Int, _ index: Int64) throws -> Tensor {
    guard axis >= 0, axis < t.ndim else { throw CABIError.index("axis \(axis) out of range for a \(t.ndim)-d tensor") }
    let n = Int64(t.shape[axis])
    let i = index < 0 ? index + n : index
    guard i >= 0, i < n else { throw CABIError.index("index \(index) out of range for axis \(axis) of size \(n)") }
    if axis == 0 { return t[Int(i)] }
    // Bring the axis to the front; the remaining axes keep their order.
    let order = [axis] + (0..<t.ndim).filter { $0 != axis }
    return t.permuted(order)[Int(i)]
}

/// `t` sliced [start, stop) by `step` > 0 along `axis`, bounds normalized like Python's.
func sliced(_ t: Tensor, axis: Int, _ start: Int64, _ stop: Int64, _ step: Int64) throws -> Tensor {
    guard axis >= 0, axis < t.ndim else { throw CABIError.index("axis \(axis) out of range for a \(t.ndim)-d tensor") }
    guard step > 0 else { throw CABIError.index("slice step must be positive, got \(step)") }
    let n = Int64(t.shape[axis])
    func norm(_ v: Int64) -> Int64 { Swift.max(0, Swift.min(v < 0 ? v + n : v, n)) }
    let lo = norm(start)
    let hi = Swift.max(lo, norm(stop))
    guard step <= Int64(Int32.max) else { throw CABIError.index("slice step \(step) too large") }
    return t.slice(axis: axis, Int(lo)..<Int(hi), step: Int(step))
}

private func emit(_ t: Tensor, _ out: HandleOut) {
    out.pointee = Handle(tensor: t).retainedPointer()
}

@_cdecl("horus_tensor_index")
public func cabiIndex(_ t: OpaquePointer?, _ index: Int64, _ out: HandleOut?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        emit(try indexed(h.tensor, axis: 0, index), out)
    }
}

@_cdecl("horus_tensor_slice")
public func cabiSlice(_ t: OpaquePointer?, _ axis: Int32, _ start: Int64, _ stop: Int64, _ step: Int64, _ out: HandleOut?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        emit(try sliced(h.tensor, axis: Int(axis), start, stop, step), out)
    }
}

@_cdecl("horus_tensor_subscript")
public func cabiSubscript(_ t: OpaquePointer?, _ spec: UnsafePointer<Int64>?, _ count: Int32, _ out: HandleOut?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        guard count >= 0 else { throw CABIError.invalid("negative subscript count \(count)") }
        guard Int(count) <= h.tensor.ndim else {
            throw CABIError.index("too many indices: \(count) for a \(h.tensor.ndim)-d tensor")
        }
        if count > 0 && spec == nil { throw CABIError.invalid("spec must not be NULL") }
        var v = h.tensor
        var axis = 0
        for k in 0..<Int(count) {
            let e = spec! + 4 * k
            switch e[0] {
            case Int64(HORUS_SUB_INDEX): v = try indexed(v, axis: axis, e[1])
            case Int64(HORUS_SUB_SLICE): v = try sliced(v, axis: axis, e[1], e[2], e[3]); axis += 1
            default: throw CABIError.invalid("unknown subscript kind \(e[0]) at position \(k)")
            }
        }
        emit(v, out)
    }
}

@_cdecl("horus_tensor_as_tensor")
public func cabiAsTensor(_ t: OpaquePointer?, _ out: HandleOut?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        emit(h.tensor, out)
    }
}

/// A contiguous copy of `t` in a new slot of its pool.
func contiguousCopy(_ t: Tensor) throws -> Tensor {
    let dst = try Tensor(dims: t.shape, dtype: t.dtype, pool: t.storage.pool, zeroed: false)
    let es = t.dtype.size
    if t.isContiguous {
        memcpy(dst.baseAddress, t.baseAddress, t.nbytes)
        return dst
    }
    guard t.count > 0 else { return dst }
    // Strided walk in row-major order (uncommon path: non-contiguous views).
    var o = 0
    let src = t.baseAddress, out = dst.baseAddress
    func walk(_ d: Int, _ off: Int) {
        if d == t.ndim { memcpy(out + o, src + off, es); o += es; return }
        for i in 0..<t.shape[d] { walk(d + 1, off + i * t.strides[d] * es) }
    }
    walk(0, 0)
    return dst
}

@_cdecl("horus_tensor_copy")
public func cabiCopy(_ t: OpaquePointer?, _ out: HandleOut?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        emit(try contiguousCopy(h.tensor), out)
    }
}

// MARK: - Arithmetic

private func parseOp(_ op: Int32) throws -> ElementwiseOperation {
    switch op {
    case HORUS_OP_ADD: return .add
    case HORUS_OP_SUB: return .subtract
    case HORUS_OP_MUL: return .multiply
    case HORUS_OP_DIV: return .divide
    default: throw CABIError.invalid("unknown operation \(op) (0 add, 1 sub, 2 mul, 3 div)")
    }
}

private func checkSameShape(_ a: Tensor, _ b: Tensor) throws {
    guard a.shape == b.shape else { throw CABIError.shape("shapes \(a.shape) and \(b.shape) differ") }
}

private func checkWritable(_ t: Tensor) throws {
    guard !t.isReadOnly else { throw CABIError.readOnly("tensor is read-only (a received sample)") }
}

@_cdecl("horus_tensor_op_scalar")
public func cabiOpScalar(_ t: OpaquePointer?, _ op: Int32, _ scalar: Double, _ scalarFirst: Int32, _ out: HandleOut?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        emit(try h.tensor.applying(try parseOp(op), scalar: scalar, scalarFirst: scalarFirst != 0), out)
    }
}

@_cdecl("horus_tensor_op_tensor")
public func cabiOpTensor(_ a: OpaquePointer?, _ op: Int32, _ b: OpaquePointer?, _ out: HandleOut?) -> Int32 {
    guarded {
        let (ha, hb) = (try Handle.from(a, "a"), try Handle.from(b, "b"))
        let out = try requireOut(out)
        let o = try parseOp(op)
        try checkSameShape(ha.tensor, hb.tensor)
        emit(try ha.tensor.applying(o, hb.tensor), out)
    }
}

@_cdecl("horus_tensor_iop_scalar")
public func cabiIopScalar(_ t: OpaquePointer?, _ op: Int32, _ scalar: Double) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let o = try parseOp(op)
        try checkWritable(h.tensor)
        h.tensor.apply(o, scalar: scalar)
    }
}

@_cdecl("horus_tensor_iop_tensor")
public func cabiIopTensor(_ a: OpaquePointer?, _ op: Int32, _ b: OpaquePointer?) -> Int32 {
    guarded {
        let (ha, hb) = (try Handle.from(a, "a"), try Handle.from(b, "b"))
        let o = try parseOp(op)
        try checkWritable(ha.tensor)
        try checkSameShape(ha.tensor, hb.tensor)
        ha.tensor.apply(o, hb.tensor)
    }
}

// MARK: - Descriptors

@_cdecl("horus_tensor_descriptor")
public func cabiDescriptor(_ t: OpaquePointer?, _ out: UnsafeMutableRawPointer?, _ capacity: Int) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out?.assumingMemoryBound(to: UInt8.self))
        guard capacity >= Descriptor.byteSize else {
            throw CABIError.buffer("capacity \(capacity) is less than a descriptor (\(Descriptor.byteSize) bytes)")
        }
        h.descriptor().withUnsafeBytes { _ = memcpy(out, $0.baseAddress!, $0.count) }
    }
}

@_cdecl("horus_descriptor_decode")
public func cabiDescriptorDecode(_ bytes: UnsafeRawPointer?, _ nbytes: Int, _ readOnly: Int32, _ out: HandleOut?) -> Int32 {
    guarded {
        let out = try requireOut(out)
        guard let bytes else { throw CABIError.invalid("bytes must not be NULL") }
        guard let d = Descriptor(bytes: UnsafeRawBufferPointer(start: bytes, count: nbytes)) else {
            throw CABIError.buffer("a descriptor is \(Descriptor.byteSize) bytes, got \(nbytes)")
        }
        let s = try d.decode(readOnly: readOnly != 0)
        out.pointee = Handle(tensor: s.tensor, kind: s.kind, encoding: s.encoding,
                             timestampNs: s.timestampNs, frameID: s.frameID).retainedPointer()
    }
}

// MARK: - DLPack

/// A DLPack export of `h` (of a contiguous copy in a new slot if `copied`, then flagged
/// IS_COPIED when versioned). Each export holds its own slot reference, dropped by its
/// deleter. A DLManagedTensorVersioned* if `versioned`, else a DLManagedTensor*.
func exportDLPack(_ h: Handle, versioned: Bool, copied: Bool) throws -> UnsafeMutableRawPointer {
    let src = copied ? try contiguousCopy(h.tensor) : h.tensor
    guard versioned else { return UnsafeMutableRawPointer(src.exportDLPack()) }
    let m = src.exportDLPackVersioned()
    if copied { m.pointee.flags |= UInt64(DLPACK_FLAG_BITMASK_IS_COPIED) }
    return UnsafeMutableRawPointer(m)
}

@_cdecl("horus_tensor_to_dlpack")
public func cabiToDLPack(_ t: OpaquePointer?, _ copied: Int32, _ out: UnsafeMutablePointer<UnsafeMutablePointer<DLManagedTensor>?>?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        let m = try exportDLPack(h, versioned: false, copied: copied != 0)
        out.pointee = m.assumingMemoryBound(to: DLManagedTensor.self)
    }
}

@_cdecl("horus_tensor_to_dlpack_versioned")
public func cabiToDLPackVersioned(_ t: OpaquePointer?, _ copied: Int32,
                                  _ out: UnsafeMutablePointer<UnsafeMutablePointer<DLManagedTensorVersioned>?>?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        let m = try exportDLPack(h, versioned: true, copied: copied != 0)
        out.pointee = m.assumingMemoryBound(to: DLManagedTensorVersioned.self)
    }
}

@_cdecl("horus_dlpack_delete")
public func cabiDLPackDelete(_ managed: UnsafeMutableRawPointer?, _ versioned: Int32) -> Int32 {
    guarded {
        guard let managed else { throw CABIError.invalid("managed must not be NULL") }
        // The caller vouches that `managed` is an unconsumed export of the named layout.
        if versioned != 0 {
            let m = managed.assumingMemoryBound(to: DLManagedTensorVersioned.self)
            m.pointee.deleter?(m)
        } else {
            let m = managed.assumingMemoryBound(to: DLManagedTensor.self)
            m.pointee.deleter?(m)
        }
    }
}
