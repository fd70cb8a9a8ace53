/// Declaration of one parameter of a node type: name, type, default (or required), range and doc.
public struct ParamSpec: Sendable, Hashable {
    /// Parameter name as written under `params:`.
    public var name: String
    /// Expected type.
    public var type: ParamType
    /// Value used when the graph omits the parameter; nil means the parameter is required.
    public var defaultValue: ParamValue?
    /// Inclusive lower bound for numeric values (and each element of a list).
    public var minimum: Double?
    /// Inclusive upper bound for numeric values (and each element of a list).
    public var maximum: Double?
    /// One-line description shown in docs and diagnostics.
    public var doc: String

    /// Creates a parameter declaration.
    public init(_ name: String, _ type: ParamType, default defaultValue: ParamValue? = nil,
                min minimum: Double? = nil, max maximum: Double? = nil, doc: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.doc = doc
    }

    /// True when the graph must set this parameter.
    public var isRequired: Bool { defaultValue == nil }

    /// The accepted range as text, e.g. `0.001...10.0`, `>= 1`, or nil when unbounded.
    public var rangeDescription: String? {
        func fmt(_ v: Double) -> String {
            if case .int = type, v.rounded() == v, abs(v) < 1e15 { return String(Int(v)) }
            return String(v)
        }
        switch (minimum, maximum) {
        case let (lo?, hi?): return "\(fmt(lo))...\(fmt(hi))"
        case let (lo?, nil): return ">= \(fmt(lo))"
        case let (nil, hi?): return "<= \(fmt(hi))"
        case (nil, nil): return nil
        }
    }

    /// What the graph must provide, e.g. `double in 0.001...10.0`, `int`, `one of [a, b]`.
    public var expectation: String {
        if let range = rangeDescription { return "\(type) in \(range)" }
        return type.description
    }

    /// Whether `value` lies within the declared bounds.
    public func isInRange(_ value: Double) -> Bool {
        if let lo = minimum, value < lo { return false }
        if let hi = maximum, value > hi { return false }
        return true
    }
}
