/// Converts a raw YAML parameter value into the typed value a `ParamSpec` asks for, or explains
/// (without location or node prefix) why it cannot.
enum ParamCoercion {
    /// A reason text, usable as a `Result` failure.
    struct Failure: Error { let message: String }

    static func coerce(_ raw: SpecValue, to spec: ParamSpec) -> Result<ParamValue, Failure> {
        switch coerceOrExplain(raw, to: spec) {
        case .value(let v): return .success(v)
        case .problem(let m): return .failure(Failure(message: m))
        }
    }

    private enum Outcome {
        case value(ParamValue)
        case problem(String)
        static func success(_ v: ParamValue) -> Outcome { .value(v) }
        static func failure(_ m: String) -> Outcome { .problem(m) }
    }

    private static func coerceOrExplain(_ raw: SpecValue, to spec: ParamSpec) -> Outcome {
        let name = spec.name
        func wrongType() -> Outcome {
            var hint = ""
            if case .string(let s) = raw, Double(s) != nil, spec.type == .int || spec.type == .double {
                hint = " (remove the quotes to write a number)"
            }
            return .failure("param '\(name)' expects \(spec.expectation), got \(raw.describedForDiagnostic)\(hint)")
        }
        func checkRange(_ v: Double, _ shown: String) -> String? {
            spec.isInRange(v) ? nil : "param '\(name)' = \(shown) is out of range (expected \(spec.expectation))"
        }
        switch spec.type {
        case .int:
            guard case .int(let i) = raw else { return wrongType() }
            if let msg = checkRange(Double(i), String(i)) { return .failure(msg) }
            return .success(.int(i))
        case .double:
            guard let d = raw.numericValue else { return wrongType() }
            if !d.isFinite { return .failure("param '\(name)' must be a finite number, got \(d)") }
            if let msg = checkRange(d, String(d)) { return .failure(msg) }
            return .success(.double(d))
        case .bool:
            guard case .bool(let b) = raw else { return wrongType() }
            return .success(.bool(b))
        case .string:
            switch raw {
            case .string(let s): return .success(.string(s))
            case .int(let i): return .success(.string(String(i)))
            case .double(let d): return .success(.string(String(d)))
            case .bool(let b): return .success(.string(String(b)))
            default: return wrongType()
            }
        case .enumeration(let cases):
            guard case .string(let s) = raw else { return wrongType() }
            guard cases.contains(s) else {
                return .failure("param '\(name)' must be \(spec.type), got \"\(s)\"\(NameSuggester.didYouMean(s, from: cases))")
            }
            return .success(.string(s))
        case .doubleList(let count):
            guard case .list(let items) = raw else { return wrongType() }
            if let count, items.count != count {
                return .failure("param '\(name)' expects \(spec.type), got \(raw.describedForDiagnostic)")
            }
            var values: [Double] = []
            for (i, item) in items.enumerated() {
                guard let d = item.value.numericValue, d.isFinite else {
                    return .failure("param '\(name)'[\(i)] must be a number, got \(item.value.describedForDiagnostic)")
                }
                if !spec.isInRange(d) {
                    return .failure("param '\(name)'[\(i)] = \(d) is out of range (expected each element in \(spec.rangeDescription ?? ""))")
                }
                values.append(d)
            }
            return .success(.doubleList(values))
        }
    }
}
