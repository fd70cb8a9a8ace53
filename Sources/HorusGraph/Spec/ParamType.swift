/// The type of a node parameter.
public enum ParamType: Sendable, Hashable, CustomStringConvertible {
    /// A whole number (YAML integer literal).
    case int
    /// A real number (YAML integer or float literal).
    case double
    /// `true` or `false`.
    case bool
    /// Any scalar text.
    case string
    /// One of a fixed set of strings.
    case enumeration([String])
    /// A list of numbers; `count` fixes its length when non-nil.
    case doubleList(count: Int?)

    /// How the type is named in diagnostics, e.g. `double`, `one of [nearest, linear]`, `list of 9 doubles`.
    public var description: String {
        switch self {
        case .int: return "int"
        case .double: return "double"
        case .bool: return "bool"
        case .string: return "string"
        case .enumeration(let cases): return "one of [\(cases.joined(separator: ", "))]"
        case .doubleList(let count?): return "list of \(count) doubles"
        case .doubleList(nil): return "list of doubles"
        }
    }
}
