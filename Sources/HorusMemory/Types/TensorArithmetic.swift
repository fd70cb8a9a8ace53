/// Element-wise arithmetic. `a + b`, `a - 2`, `3 * a` ... return a new pool-backed tensor
/// of the left operand's dtype (integers wrap like NumPy; `/` on integers gives float32);
/// `+=` and friends write into the tensor's slot. Tensor operands must have equal shapes.
public enum ElementwiseOperation: Sendable {
    case add, subtract, multiply, divide

    @inline(__always)
    func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        }
    }
}

extension Tensor {
    /// The dtype of `self op other`.
    func resultType(_ op: ElementwiseOperation) -> DType {
        (op == .divide && !dtype.isFloatingPoint) ? .float32 : dtype
    }

    /// `self op scalar` (or `scalar op self` when `scalarFirst`) into a new tensor.
    public func applying(_ op: ElementwiseOperation, scalar: Double, scalarFirst: Bool = false, pool: Pool? = nil) throws -> Tensor {
        let out = try Tensor(dims: shape, dtype: resultType(op), pool: pool ?? storage.pool, zeroed: false)
        Tensor.combine(self, nil, scalar, op, scalarFirst: scalarFirst, into: out)
        return out
    }

    /// `self op other` element-wise into a new tensor; shapes must be equal.
    public func applying(_ op: ElementwiseOperation, _ other: Tensor, pool: Pool? = nil) throws -> Tensor {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        let out = try Tensor(dims: shape, dtype: resultType(op), pool: pool ?? storage.pool, zeroed: false)
        Tensor.combine(self, other, 0, op, scalarFirst: false, into: out)
        return out
    }

    /// Writes `self op scalar` into this tensor's own elements.
    public func apply(_ op: ElementwiseOperation, scalar: Double) {
        precondition(!isReadOnly, "tensor is read-only (a received sample)")
        Tensor.combine(self, nil, scalar, op, scalarFirst: false, into: self)
    }

    /// Writes `self op other` into this tensor's own elements.
    public func apply(_ op: ElementwiseOperation, _ other: Tensor) {
        precondition(!isReadOnly, "tensor is read-only (a received sample)")
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        Tensor.combine(self, other, 0, op, scalarFirst: false, into: self)
    }

    /// Walks `a` (and `b`) and `out` in row-major order; out may be `a` itself.
    private static func combine(_ a: Tensor, _ b: Tensor?, _ scalar: Double, _ op: ElementwiseOperation,
                                scalarFirst: Bool, into out: Tensor) {
        if b == nil, a.dtype == out.dtype, a.isContiguous, out.isContiguous, a.dtype == .float32 {
            let n = a.count
            let src = a.baseAddress.assumingMemoryBound(to: Float.self)
            let dst = out.baseAddress.assumingMemoryBound(to: Float.self)
            let s = Float(scalar)
            for i in 0..<n { dst[i] = Float(scalarFirst ? op.apply(Double(s), Double(src[i])) : op.apply(Double(src[i]), Double(s))) }
            return
        }
        // General path: collect output offsets lazily by walking both in lock step.
        var outOffsets = [Int]()
        outOffsets.reserveCapacity(a.count)
        out.forEachElementOffset { outOffsets.append($0) }
        var bOffsets = [Int]()
        if let b {
            bOffsets.reserveCapacity(b.count)
            b.forEachElementOffset { bOffsets.append($0) }
        }
        var i = 0
        let ab = a.baseAddress, ob = out.baseAddress, at = a.dtype, ot = out.dtype
        a.forEachElementOffset { off in
            let x = loadDouble(ab + off, at)
            let y = b.map { loadDouble($0.baseAddress + bOffsets[i], $0.dtype) } ?? scalar
            storeDouble(scalarFirst ? op.apply(y, x) : op.apply(x, y), ob + outOffsets[i], ot)
            i += 1
        }
    }

    public static func + (a: Tensor, s: Double) throws -> Tensor { try a.applying(.add, scalar: s) }
    public static func - (a: Tensor, s: Double) throws -> Tensor { try a.applying(.subtract, scalar: s) }
    public static func * (a: Tensor, s: Double) throws -> Tensor { try a.applying(.multiply, scalar: s) }
    public static func / (a: Tensor, s: Double) throws -> Tensor { try a.applying(.divide, scalar: s) }
    public static func + (s: Double, a: Tensor) throws -> Tensor { try a.applying(.add, scalar: s, scalarFirst: true) }
    public static func - (s: Double, a: Tensor) throws -> Tensor { try a.applying(.subtract, scalar: s, scalarFirst: true) }
    public static func * (s: Double, a: Tensor) throws -> Tensor { try a.applying(.multiply, scalar: s, scalarFirst: true) }
    public static func / (s: Double, a: Tensor) throws -> Tensor { try a.applying(.divide, scalar: s, scalarFirst: true) }
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.add, b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.subtract, b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.multiply, b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.divide, b) }

    public static func += (a: inout Tensor, s: Double) { a.apply(.add, scalar: s) }
    public static func -= (a: inout Tensor, s: Double) { a.apply(.subtract, scalar: s) }
    public static func *= (a: inout Tensor, s: Double) { a.apply(.multiply, scalar: s) }
    public static func /= (a: inout Tensor, s: Double) { a.apply(.divide, scalar: s) }
    public static func += (a: inout Tensor, b: Tensor) { a.apply(.add, b) }
    public static func -= (a: inout Tensor, b: Tensor) { a.apply(.subtract, b) }
    public static func *= (a: inout Tensor, b: Tensor) { a.apply(.multiply, b) }
    public static func /= (a: inout Tensor, b: Tensor) { a.apply(.divide, b) }
}
