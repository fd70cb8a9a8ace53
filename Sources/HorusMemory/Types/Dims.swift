import CHorus

/// Up to six extents or strides, stored inline (no heap allocation), so views and
/// descriptors are made without touching the allocator.
public struct Dims: RandomAccessCollection, MutableCollection, Equatable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible, Sendable {
    /// Most dimensions a horus tensor can have.
    public static let maxCount = Int(HORUS_MAX_DIMS)
    @usableFromInline var storage: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
    public private(set) var count: Int = 0

    public init() {}

    /// All six stored values: the extents, then zeros (beyond `count` the storage is
    /// always zero: every initializer and mutation keeps it so).
    @inlinable package var zeroPadded: (Int, Int, Int, Int, Int, Int) { storage }

    /// Builds from a sequence of at most six values (precondition). Inlinable: an array
    /// literal passed here (`Tensor.loan(shape: [n])`) can stay on the stack.
    @inlinable
    public init<S: Sequence>(_ values: S) where S.Element == Int {
        self.init()
        for v in values { append(v) }
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Two or three extents, without an intermediate array (an array literal is a heap
    /// allocation per call where it escapes).
    public init(_ a: Int, _ b: Int, _ c: Int? = nil) {
        storage = (a, b, c ?? 0, 0, 0, 0)
        count = c == nil ? 2 : 3
    }

    /// The first `count` of six values that are zero beyond `count` (a validated
    /// descriptor's extents or strides): one copy, no appends.
    @usableFromInline
    init(count: Int, zeroPadded values: (Int64, Int64, Int64, Int64, Int64, Int64)) {
        self.count = count
        storage = unsafeBitCast(values, to: (Int, Int, Int, Int, Int, Int).self)
    }

    /// The first `count` of six values that are zero beyond `count`.
    @usableFromInline
    init(count: Int, zeroPadded values: (Int, Int, Int, Int, Int, Int)) {
        self.count = count
        storage = values
    }

    /// The same for a descriptor's extents (unsigned 32-bit, widened).
    @usableFromInline
    init(count: Int, zeroPadded v: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) {
        self.count = count
        storage = (Int(v.0), Int(v.1), Int(v.2), Int(v.3), Int(v.4), Int(v.5))
    }

    /// `count` dimensions, the i-th being `element(i)` (count checked once, no appends).
    @inline(__always)
    init(count: Int, _ element: (Int) -> Int) {
        precondition(count >= 0 && count <= Self.maxCount, "at most \(Self.maxCount) dimensions")
        self.count = count
        withUnsafeMutableBytes(of: &storage) { b in
            for i in 0..<count { b.storeBytes(of: element(i), toByteOffset: i * 8, as: Int.self) }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always)
    public subscript(i: Int) -> Int {
        get {
            precondition(i >= 0 && i < count, "dimension \(i) out of range 0..<\(count)")
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i * 8, as: Int.self) }
        }
        set {
            precondition(i >= 0 && i < count, "dimension \(i) out of range 0..<\(count)")
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: i * 8, as: Int.self) }
        }
    }

    /// Adds a dimension at the end.
    public mutating func append(_ v: Int) {
        precondition(count < Self.maxCount, "at most \(Self.maxCount) dimensions")
        count += 1
        self[count - 1] = v
    }

    /// Removes the dimension at `i`.
    public mutating func remove(at i: Int) {
        precondition(i >= 0 && i < count)
        for j in i..<(count - 1) { self[j] = self[j + 1] }
        self[count - 1] = 0
        count -= 1
    }

    /// True when no value is negative (a shape's check; `allSatisfy` takes the generic path).
    public var allNonNegative: Bool {
        let s = storage
        return (s.0 | s.1 | s.2 | s.3 | s.4 | s.5) >= 0  // (zeros beyond count)
    }

    /// Product of the extents (1 for zero dimensions). Traps on overflow, like `reduce(1, *)`,
    /// which costs about 60 instructions through the generic Collection path; this about 15.
    public var product: Int {
        var p = 1
        withUnsafeBytes(of: storage) { b in
            for i in 0..<count { p *= b.load(fromByteOffset: i &* 8, as: Int.self) }
        }
        return p
    }

    public static func == (a: Dims, b: Dims) -> Bool { a.count == b.count && a.elementsEqual(b) }
    public func hash(into h: inout Hasher) { for v in self { h.combine(v) } }
    public var description: String { "[" + map(String.init).joined(separator: ", ") + "]" }

    /// Row-major (C order) strides in elements for these extents.
    public var contiguousStrides: Dims {
        // One, two or three extents (images, clouds, depth, flat tensors): straight-line.
        let e = storage
        switch count {
        case 1: return Dims(count: 1, zeroPadded: (1, 0, 0, 0, 0, 0))
        case 2: return Dims(count: 2, zeroPadded: (Swift.max(e.1, 1), 1, 0, 0, 0, 0))
        case 3: return Dims(count: 3, zeroPadded: (Swift.max(e.1, 1) * Swift.max(e.2, 1), Swift.max(e.2, 1), 1, 0, 0, 0))
        default: return generalContiguousStrides
        }
    }

    private var generalContiguousStrides: Dims {
        var s = Dims()
        s.count = count
        withUnsafeBytes(of: storage) { extents in
            withUnsafeMutableBytes(of: &s.storage) { out in
                var acc = 1
                var i = count - 1
                while i >= 0 {
                    out.storeBytes(of: acc, toByteOffset: i &* 8, as: Int.self)
                    acc *= Swift.max(extents.load(fromByteOffset: i &* 8, as: Int.self), 1)
                    i -= 1
                }
            }
        }
        return s
    }
}
