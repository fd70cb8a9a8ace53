import Foundation
import Yams

/// Converts a Yams node tree into located `SpecValue`s, so the rest of the package never sees Yams.
///
/// Scalars are resolved with YAML 1.2 core-schema rules: only `true`/`false` are booleans
/// (`on`, `yes` stay strings) and timestamps stay strings. Yams composes with no resolution rules
/// (its per-scalar regular expressions cost more than the rest of validation); plain scalars are
/// resolved here, the regular expressions running only on the few that start like a number.
enum YAMLTreeReader {
    /// The resolver used for graph files: none (see `value(of:)`).
    static let resolver: Resolver = .basic
    private static let intPattern = try? NSRegularExpression(pattern: Resolver.Rule.int.pattern)
    private static let floatPattern = try? NSRegularExpression(pattern: Resolver.Rule.float.pattern)

    /// The value of a scalar: quoted and block scalars are strings; plain ones are null, bool, int,
    /// float (Yams' int and float rules, as before) or string.
    static func value(of scalar: Yams.Node.Scalar) -> SpecValue {
        let s = scalar.string
        guard scalar.style == .plain else { return .string(s) }
        switch s {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "~", "null", "Null", "NULL", "": return .null
        default: break
        }
        guard let first = s.utf8.first, (48...57).contains(first) || first == 43 || first == 45 || first == 46 else {
            return .string(s)  // cannot be a number
        }
        if let i = decimal(s) { return .int(i) }
        if let d = fraction(s) { return .double(d) }
        func matches(_ p: NSRegularExpression?) -> Bool {
            p?.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        }
        if matches(intPattern), let i = Int.construct(from: scalar) { return .int(i) }
        if matches(intPattern) || matches(floatPattern) {
            return Double.construct(from: scalar).map(SpecValue.double) ?? .string(s)
        }
        return .string(s)
    }

    /// `[-+]?[0-9]+\.[0-9]+` (the common float, without a regular expression).
    private static func fraction(_ s: String) -> Double? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let dot = body.firstIndex(of: "."), dot != body.startIndex, body.index(after: dot) != body.endIndex,
              body[..<dot].allSatisfy({ $0.isASCII && $0.isNumber }),
              body[body.index(after: dot)...].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Double(s)
    }

    /// `[-+]?(0|[1-9][0-9]*)` that fits an Int (the common case, without a regular expression).
    private static func decimal(_ s: String) -> Int? {
        var digits = Substring(s)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard let lead = digits.first, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              lead != "0" || digits.count == 1 else { return nil }
        return Int(s)
    }

    /// Composes `yaml` and converts it; throws `GraphLoadError` for YAML syntax problems.
    static func read(yaml: String, file: String) throws -> Located<SpecValue>? {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: yaml, resolver, .default)
        } catch let error as YamlError {
            throw GraphLoadError(diagnostic: diagnostic(for: error, file: file))
        }
        guard let root else { return nil }
        var budget = Budget(values: yaml.utf8.count + GraphLimits.aliasExpansionAllowance)
        return try convert(root, file: file, depth: 1, budget: &budget)
    }

    /// What converting may still use (aliases share one node many times over, so a document
    /// that expands past one value per source byte, plus an allowance, is refused as it grows),
    /// and where it is: the key path, written out only for an error.
    struct Budget {
        var values: Int
        var path: [PathStep] = []

        enum PathStep { case key(String), index(Int) }

        /// `nodes[3].params.width`.
        var keyPath: String {
            var out = ""
            for step in path {
                switch step {
                case .key(let k): out += out.isEmpty ? k : ".\(k)"
                case .index(let i): out += "[\(i)]"
                }
            }
            return out
        }
    }

    static func location(_ node: Yams.Node, file: String) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Converts `node` (at nesting `depth`, reached by `budget.path`), refusing nesting deeper than
    /// `GraphLimits.nesting` and alias expansion past the budget.
    static func convert(_ node: Yams.Node, file: String, depth: Int,
                        budget: inout Budget) throws -> Located<SpecValue> {
        let loc = location(node, file: file)
        budget.values -= 1
        if budget.values < 0 {
            throw limitError(loc, budget.keyPath, "YAML aliases expand this document past \(GraphLimits.aliasExpansionAllowance) values more than its size in bytes; refusing it (an alias bomb?)")
        }
        switch node {
        case .scalar(let scalar):
            return Located(value(of: scalar), at: loc)
        case .sequence(let seq):
            try checkDepth(depth, loc, budget.keyPath)
            var items: [Located<SpecValue>] = []
            items.reserveCapacity(seq.count)
            for (i, item) in seq.enumerated() {
                budget.path.append(.index(i))
                items.append(try convert(item, file: file, depth: depth + 1, budget: &budget))
                budget.path.removeLast()
            }
            return Located(.list(items), at: loc)
        case .mapping(let map):
            try checkDepth(depth, loc, budget.keyPath)
            var entries: [SpecEntry] = []
            entries.reserveCapacity(map.count)
            for pair in map {
                let name = pair.key.scalar?.string ?? "\(pair.key)"
                let key = Located(name, at: location(pair.key, file: file))
                budget.path.append(.key(name))
                entries.append(SpecEntry(key: key, value: try convert(pair.value, file: file, depth: depth + 1, budget: &budget)))
                budget.path.removeLast()
            }
            return Located(.map(entries), at: loc)
        case .alias:
            return Located(.null, at: loc)  // Yams resolves aliases while composing; unreachable in practice.
        }
    }

    private static func checkDepth(_ depth: Int, _ loc: SourceLocation, _ keyPath: String) throws {
        guard depth > GraphLimits.nesting else { return }
        throw limitError(loc, keyPath, "mappings and lists nest deeper than \(GraphLimits.nesting) levels")
    }

    private static func limitError(_ loc: SourceLocation, _ keyPath: String, _ message: String) -> GraphLoadError {
        let at = keyPath.isEmpty ? "" : "\(keyPath): "
        return GraphLoadError(diagnostic: GraphDiagnostic(.error, at: loc, keyPath: keyPath, at + message))
    }

    static func diagnostic(for error: YamlError, file: String) -> GraphDiagnostic {
        func diag(_ mark: Mark, _ text: String) -> GraphDiagnostic { diag2(mark.line, mark.column, text) }
        func diag2(_ line: Int, _ column: Int, _ text: String) -> GraphDiagnostic {
            GraphDiagnostic(.error, at: SourceLocation(file: file, line: line, column: column),
                            keyPath: "", "YAML syntax error: \(text)")
        }
        func withContext(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return diag(mark, withContext(problem, context))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return diag(context.mark, "duplicate key \(keys) in mapping")
        case let .reader(problem, offset, _, yaml):
            var line = 1, column = 1
            if let offset {
                for ch in yaml.prefix(offset) {
                    if ch == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return diag2(line, column, problem)
        default:
            return diag2(1, 1, "\(error)")
        }
    }
}
