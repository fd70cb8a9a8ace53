/// A Swift type that can be a tensor element: its dtype and a conversion through Double
/// (integers wrap like NumPy's when a result does not fit).
public protocol TensorElement {
    static var dtype: DType { get }
    init(horusDouble: Double)
    var horusDouble: Double { get }
}

extension FixedWidthInteger {
    @inline(__always) public var horusDouble: Double { Double(self) }
    @inline(__always) public init(horusDouble d: Double) {
        if d.isNaN { self = 0; return }
        // Wrap modulo 2^bits like NumPy's integer arithmetic.
        let t = d.rounded(.towardZero)
        if let exact = Int64(exactly: t) { self.init(truncatingIfNeeded: exact); return }
        if let exactU = UInt64(exactly: t) { self.init(truncatingIfNeeded: exactU); return }
        self = t < 0 ? Self.min : Self.max
    }
}

extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension UInt16: TensorElement { public static var dtype: DType { .uint16 } }
extension Int16: TensorElement { public static var dtype: DType { .int16 } }
extension UInt32: TensorElement { public static var dtype: DType { .uint32 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension UInt64: TensorElement { public static var dtype: DType { .uint64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }

extension Float16: TensorElement {
    public static var dtype: DType { .float16 }
    @inline(__always) public init(horusDouble d: Double) { self.init(d) }
    @inline(__always) public var horusDouble: Double { Double(self) }
}
extension Float: TensorElement {
    public static var dtype: DType { .float32 }
    @inline(__always) public init(horusDouble d: Double) { self.init(d) }
    @inline(__always) public var horusDouble: Double { Double(self) }
}
extension Double: TensorElement {
    public static var dtype: DType { .float64 }
    @inline(__always) public init(horusDouble d: Double) { self = d }
    @inline(__always) public var horusDouble: Double { self }
}
extension Bool: TensorElement {
    public static var dtype: DType { .bool }
    @inline(__always) public init(horusDouble d: Double) { self = d != 0 }
    @inline(__always) public var horusDouble: Double { self ? 1 : 0 }
}
