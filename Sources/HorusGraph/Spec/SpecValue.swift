/// A YAML value kept as written (with locations) until the validator knows which type is wanted.
///
/// Plain scalars are resolved with the YAML 1.2 core schema (`640` is `.int`, `525.0` is `.double`,
/// `true` is `.bool`, `~`/`null` is `.null`); quoted scalars are always `.string`.
public indirect enum SpecValue: Sendable, Equatable {
    /// `null`, `~` or an empty value.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// An integer literal.
    case int(Int)
    /// A floating-point literal.
    case double(Double)
    /// Any other scalar, or any quoted scalar.
    case string(String)
    /// A YAML sequence.
    case list([Located<SpecValue>])
    /// A YAML mapping, in file order.
    case map([SpecEntry])

    /// A short human description used in diagnostics, e.g. `string "fast"` or `list of 3 values`.
    public var describedForDiagnostic: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "bool \(b)"
        case .int(let i): return "int \(i)"
        case .double(let d): return "double \(d)"
        case .string(let s): return "string \"\(s)\""
        case .list(let items): return "a list of \(items.count) value\(items.count == 1 ? "" : "s")"
        case .map: return "a mapping"
        }
    }

    /// The value as a number if it is an int or double literal.
    public var numericValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

/// One `key: value` pair of a YAML mapping, both located.
public struct SpecEntry: Sendable, Equatable {
    /// The key text and the location of the key.
    public var key: Located<String>
    /// The value and its location.
    public var value: Located<SpecValue>

    /// Creates an entry.
    public init(key: Located<String>, value: Located<SpecValue>) {
        self.key = key
        self.value = value
    }
}
