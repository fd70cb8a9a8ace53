/// A typed, validated parameter value as handed to a node.
public enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    /// An `int` parameter.
    case int(Int)
    /// A `double` parameter.
    case double(Double)
    /// A `bool` parameter.
    case bool(Bool)
    /// A `string` or `enumeration` parameter.
    case string(String)
    /// A `doubleList` parameter.
    case doubleList([Double])

    /// The value if this is `.int`.
    public var intValue: Int? { if case .int(let v) = self { return v }; return nil }
    /// The value if this is `.double` (or `.int`, widened).
    public var doubleValue: Double? {
        switch self {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }
    /// The value if this is `.bool`.
    public var boolValue: Bool? { if case .bool(let v) = self { return v }; return nil }
    /// The value if this is `.string`.
    public var stringValue: String? { if case .string(let v) = self { return v }; return nil }
    /// The value if this is `.doubleList`.
    public var doubleListValue: [Double]? { if case .doubleList(let v) = self { return v }; return nil }

    /// YAML-like rendering, e.g. `640`, `0.05`, `"map"`, `[1.0, 2.0]`.
    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .bool(let v): return String(v)
        case .string(let v): return "\"\(v)\""
        case .doubleList(let v): return "[" + v.map { String($0) }.joined(separator: ", ") + "]"
        }
    }

    /// Whether this value is acceptable for `type` (used to check declared defaults).
    public func matches(_ type: ParamType) -> Bool {
        switch (self, type) {
        case (.int, .int), (.double, .double), (.bool, .bool), (.string, .string): return true
        case (.string(let s), .enumeration(let cases)): return cases.contains(s)
        case (.doubleList(let v), .doubleList(let count)): return count == nil || count == v.count
        default: return false
        }
    }
}
