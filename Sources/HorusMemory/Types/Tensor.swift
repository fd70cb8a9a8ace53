#if canImport(Glibc)
import Glibc
#endif

/// An n-dimensional strided array whose elements live in a shared-memory pool slot.
///
/// A `Tensor` is a view: it has reference semantics for its elements (writes go to the
/// slot, visible to every view and every process that holds the slot) and value
/// semantics for its geometry. Subscripts and slices return views that share the slot
/// and keep it alive; arithmetic returns a new pool-backed tensor.
public struct Tensor: @unchecked Sendable {
    /// The slot reference shared by this tensor and all its views. (Settable in the package
    /// only so a single owner can test it for uniqueness in place: a C ABI handle.)
    public package(set) var storage: SlotStorage
    public let dtype: DType
    public private(set) var shape: Dims
    /// Strides in elements (may be negative).
    public private(set) var strides: Dims
    /// Byte offset of the element at index [0, ..., 0] from the slot's data start.
    public private(set) var byteOffset: Int
    /// Views of received samples are read-only: element writes are refused.
    public internal(set) var isReadOnly: Bool = false
    /// Sample time in ns (0 = unset). Travels in the descriptor like an Image's; views keep
    /// it, arithmetic results start at 0.
    public var timestampNs: UInt64 = 0
    /// Coordinate frame (at most 23 UTF-8 bytes travel; "" = none). Kept like `timestampNs`.
    public var frameID: String = ""

    /// Wraps a validated geometry over a slot.
    @usableFromInline
    init(storage: SlotStorage, dtype: DType, shape: Dims, strides: Dims, byteOffset: Int, readOnly: Bool = false) {
        self.storage = storage
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.byteOffset = byteOffset
        self.isReadOnly = readOnly
    }

    /// A contiguous view of `shape` starting `byteOffset` bytes into a slot the caller
    /// allocated (for message types that keep a header in front of their elements).
    public init(slot storage: SlotStorage, dtype: DType, shape: [Int], byteOffset: Int) {
        let dims = Dims(shape)
        precondition(byteOffset >= 0 && byteOffset % dtype.size == 0, "bad byte offset \(byteOffset)")
        precondition(byteOffset + dims.product * dtype.size <= storage.byteCount, "view \(dims) at \(byteOffset) exceeds the slot allocation")
        self.init(storage: storage, dtype: dtype, shape: dims, strides: dims.contiguousStrides, byteOffset: byteOffset)
    }

    /// A new zero-filled tensor in `pool` (default: the process's shared pool).
    public init(shape: [Int], dtype: DType = .float32, pool: Pool? = nil) throws {
        try self.init(dims: Dims(shape), dtype: dtype, pool: pool, zeroed: true)
    }

    /// A new tensor; `zeroed: false` is a loan (see `loan(shape:dtype:pool:)`): the slot
    /// keeps its old bytes, for callers that overwrite every element (a copy-in, a driver).
    public init(dims: Dims, dtype: DType, pool: Pool? = nil, zeroed: Bool) throws {
        let bytes = Self.byteCount(dims, dtype)
        let storage: SlotStorage
        if let pool {  // (bound, not `pool ?? shared`: the caller's reference serves, no retain)
            storage = try SlotStorage.allocate(byteCount: bytes, in: pool)
        } else {
            storage = try SlotStorage.allocate(byteCount: bytes, in: Pool.shared())
        }
        self.init(newSlot: storage, dims: dims, dtype: dtype, bytes: bytes, zeroed: zeroed)
    }

    /// `init(dims:dtype:pool:zeroed:)` that puts the new slot in `spare`, a storage object
    /// only the caller holds and that holds no slot, instead of allocating an object.
    package init(dims: Dims, dtype: DType, pool: Pool, zeroed: Bool, reusing spare: consuming SlotStorage) throws {
        let bytes = Self.byteCount(dims, dtype)
        try spare.reallocate(byteCount: bytes, in: pool)
        self.init(newSlot: spare, dims: dims, dtype: dtype, bytes: bytes, zeroed: zeroed)
    }

    /// Bytes of a new contiguous tensor of these extents (each checked non-negative).
    @inline(__always)
    private static func byteCount(_ dims: Dims, _ dtype: DType) -> Int {
        precondition(dims.allNonNegative, "negative extent in shape \(dims)")
        return dims.product * dtype.size
    }

    /// The contiguous tensor over a just-allocated slot of `bytes` bytes, cleared if `zeroed`.
    @inline(__always)
    private init(newSlot storage: SlotStorage, dims: Dims, dtype: DType, bytes: Int, zeroed: Bool) {
        if zeroed { memset(storage.base, 0, bytes) }
        self.init(storage: storage, dtype: dtype, shape: dims, strides: dims.contiguousStrides, byteOffset: 0)
    }

    /// A loan: a new tensor whose elements are NOT cleared -- the way to publish. The slot
    /// holds whatever bytes it last held (a sample of this pool, hence of this namespace:
    /// never another user's), so allocating 6 MB costs what 64 bytes do; the caller
    /// overwrites every element before publishing. `init(shape:)` zero-fills instead.
    @inlinable  // (the shape array can then stay on the caller's stack: no allocation per loan)
    public static func loan(shape: [Int], dtype: DType = .float32, pool: Pool? = nil) throws -> Tensor {
        try Tensor(dims: Dims(shape), dtype: dtype, pool: pool, zeroed: false)
    }

    /// A new tensor holding a copy of `values` (exactly one copy: a memcpy into the slot).
    public init<T: TensorElement>(copying values: [T], shape: [Int]? = nil, pool: Pool? = nil) throws {
        let dims = Dims(shape ?? [values.count])
        precondition(dims.product == values.count, "shape \(dims) holds \(dims.product) elements, got \(values.count)")
        try self.init(dims: dims, dtype: T.dtype, pool: pool, zeroed: false)
        let dst = storage.base
        values.withUnsafeBytes { src in
            if let s = src.baseAddress { memcpy(dst, s, src.count) }
        }
    }

    /// A new tensor holding a copy of raw bytes laid out contiguously (one memcpy).
    public init(copyingBytes bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType, pool: Pool? = nil) throws {
        let dims = Dims(shape)
        precondition(dims.product * dtype.size == bytes.count, "\(bytes.count) bytes do not fill shape \(dims) of \(dtype)")
        try self.init(dims: dims, dtype: dtype, pool: pool, zeroed: false)
        if let s = bytes.baseAddress { memcpy(storage.base, s, bytes.count) }
    }

    // MARK: - Geometry

    public var ndim: Int { shape.count }
    /// Number of elements.
    public var count: Int { shape.product }
    /// Bytes the elements take when contiguous.
    public var nbytes: Int { count * dtype.size }
    /// Address of element [0, ..., 0].
    @inline(__always) public var baseAddress: UnsafeMutableRawPointer { storage.base + byteOffset }

    /// True when elements are laid out in row-major order with no gaps.
    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: ndim - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }

    // MARK: - Views

    /// The view at `index` along the first axis (one dimension fewer). Shares memory.
    public subscript(index: Int) -> Tensor {
        precondition(ndim > 0, "cannot index a 0-d tensor")
        let i = index < 0 ? index + shape[0] : index
        precondition(i >= 0 && i < shape[0], "index \(index) out of range for axis 0 of size \(shape[0])")
        var v = self
        v.byteOffset += i * strides[0] * dtype.size
        v.shape.remove(at: 0)
        v.strides.remove(at: 0)
        return v
    }

    /// The slice `range` of the first axis. Shares memory. The setter exists so that
    /// `t[0..<10] += 1` compiles: the in-place operator already wrote the elements.
    public subscript(range: Range<Int>) -> Tensor {
        get { slice(axis: 0, range) }
        set { precondition(newValue.storage === storage, "assign elements through the view instead") }
    }

    /// A view of `range` (with `step`) along `axis`. Shares memory.
    public func slice(axis: Int, _ range: Range<Int>, step: Int = 1) -> Tensor {
        precondition(axis >= 0 && axis < ndim, "axis \(axis) out of range for \(ndim)-d tensor")
        precondition(step > 0, "step must be positive")
        let lo = Swift.max(0, Swift.min(range.lowerBound, shape[axis]))
        let hi = Swift.max(lo, Swift.min(range.upperBound, shape[axis]))
        var v = self
        v.byteOffset += lo * strides[axis] * dtype.size
        v.shape[axis] = (hi - lo + step - 1) / step
        v.strides[axis] = strides[axis] * step
        return v
    }

    /// A view with axes reordered (e.g. [1, 0] transposes a matrix). Shares memory.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<ndim), "permutation \(order) does not match \(ndim) axes")
        var v = self
        for (i, o) in order.enumerated() {
            v.shape[i] = shape[o]
            v.strides[i] = strides[o]
        }
        return v
    }

    /// A contiguous tensor viewed with another shape of the same element count. Shares memory.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(isContiguous, "reshaped needs a contiguous tensor")
        let dims = Dims(newShape)
        precondition(dims.product == count, "cannot reshape \(shape) to \(dims)")
        var v = self
        v.shape = dims
        v.strides = dims.contiguousStrides
        return v
    }

    // MARK: - Elements

    /// Byte offset from `baseAddress` of the element at a full index.
    @inline(__always)
    func elementOffset(_ index: [Int]) -> Int {
        precondition(index.count == ndim, "expected \(ndim) indices, got \(index.count)")
        var off = 0
        for (d, i0) in index.enumerated() {
            let i = i0 < 0 ? i0 + shape[d] : i0
            precondition(i >= 0 && i < shape[d], "index \(i0) out of range for axis \(d) of size \(shape[d])")
            off += i * strides[d]
        }
        return off * dtype.size
    }

    /// One element, converted to/from Double.
    public subscript(element index: Int...) -> Double {
        get { loadDouble(baseAddress + elementOffset(index), dtype) }
        nonmutating set {
            precondition(!isReadOnly, "tensor is read-only (a received sample)")
            storeDouble(newValue, baseAddress + elementOffset(index), dtype)
        }
    }

    /// The elements in row-major order, copied once into an array.
    public func toArray<T: TensorElement>(_: T.Type = T.self) -> [T] {
        precondition(T.dtype == dtype, "tensor is \(dtype), asked for \(T.dtype)")
        if isContiguous {
            return [T](unsafeUninitializedCapacity: count) { buf, n in
                memcpy(buf.baseAddress!, baseAddress, count * dtype.size)
                n = count
            }
        }
        var out = [T]()
        out.reserveCapacity(count)
        forEachElementOffset { off in out.append((baseAddress + off).load(as: T.self)) }
        return out
    }

    /// Visits every element in row-major order, converted to Double.
    public func forEachElement(_ body: (Double) throws -> Void) rethrows {
        let b = baseAddress, t = dtype
        try forEachElementOffset { try body(loadDouble(b + $0, t)) }
    }

    /// Calls `body` with the elements when the tensor is contiguous and of type `T`.
    public func withUnsafeBufferPointer<T: TensorElement, R>(as _: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        precondition(T.dtype == dtype && isContiguous, "withUnsafeBufferPointer needs a contiguous \(dtype) tensor")
        return try body(UnsafeBufferPointer(start: baseAddress.assumingMemoryBound(to: T.self), count: count))
    }

    /// Mutable access to the elements when contiguous, of type `T` and writable.
    public func withUnsafeMutableBufferPointer<T: TensorElement, R>(as _: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R) rethrows -> R {
        precondition(T.dtype == dtype && isContiguous, "withUnsafeMutableBufferPointer needs a contiguous \(dtype) tensor")
        precondition(!isReadOnly, "tensor is read-only (a received sample)")
        return try body(UnsafeMutableBufferPointer(start: baseAddress.assumingMemoryBound(to: T.self), count: count))
    }

    /// Visits the byte offset (from `baseAddress`) of every element in row-major order.
    @inline(__always)
    func forEachElementOffset(_ body: (Int) throws -> Void) rethrows {
        let n = count
        if n == 0 { return }
        if ndim == 0 { try body(0); return }
        let es = dtype.size
        var index = Dims(repeatElement(0, count: ndim))
        var off = 0
        let last = ndim - 1
        let innerN = shape[last], innerStride = strides[last] * es
        while true {
            var o = off
            for _ in 0..<innerN { try body(o); o += innerStride }
            var d = last - 1
            while d >= 0 {
                index[d] += 1
                off += strides[d] * es
                if index[d] < shape[d] { break }
                off -= index[d] * strides[d] * es
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}

@inline(__always)
func loadDouble(_ p: UnsafeRawPointer, _ t: DType) -> Double {
    switch t {
    case .uint8: return Double(p.load(as: UInt8.self))
    case .int8: return Double(p.load(as: Int8.self))
    case .uint16: return Double(p.loadUnaligned(as: UInt16.self))
    case .int16: return Double(p.loadUnaligned(as: Int16.self))
    case .uint32: return Double(p.loadUnaligned(as: UInt32.self))
    case .int32: return Double(p.loadUnaligned(as: Int32.self))
    case .uint64: return Double(p.loadUnaligned(as: UInt64.self))
    case .int64: return Double(p.loadUnaligned(as: Int64.self))
    case .float16: return Double(p.loadUnaligned(as: Float16.self))
    case .float32: return Double(p.loadUnaligned(as: Float.self))
    case .float64: return p.loadUnaligned(as: Double.self)
    case .bool: return p.load(as: UInt8.self) != 0 ? 1 : 0
    }
}

@inline(__always)
func storeDouble(_ v: Double, _ p: UnsafeMutableRawPointer, _ t: DType) {
    switch t {
    case .uint8: p.storeBytes(of: UInt8(horusDouble: v), as: UInt8.self)
    case .int8: p.storeBytes(of: Int8(horusDouble: v), as: Int8.self)
    case .uint16: p.storeBytes(of: UInt16(horusDouble: v), as: UInt16.self)
    case .int16: p.storeBytes(of: Int16(horusDouble: v), as: Int16.self)
    case .uint32: p.storeBytes(of: UInt32(horusDouble: v), as: UInt32.self)
    case .int32: p.storeBytes(of: Int32(horusDouble: v), as: Int32.self)
    case .uint64: p.storeBytes(of: UInt64(horusDouble: v), as: UInt64.self)
    case .int64: p.storeBytes(of: Int64(horusDouble: v), as: Int64.self)
    case .float16: p.storeBytes(of: Float16(v), as: Float16.self)
    case .float32: p.storeBytes(of: Float(v), as: Float.self)
    case .float64: p.storeBytes(of: v, as: Double.self)
    case .bool: p.storeBytes(of: v != 0 ? 1 : 0, as: UInt8.self)
    }
}
