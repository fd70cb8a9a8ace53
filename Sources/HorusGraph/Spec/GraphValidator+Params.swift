/// Parameter checks: unknown names (with suggestions), types, ranges, required params; fills defaults.
extension ValidationRun {
    mutating func checkParams(_ check: inout NodeCheck, _ type: NodeTypeSpec) {
        let node = check.spec
        let known = type.params.map(\.name)
        var given = Set<String>()
        for entry in node.params {
            let name = entry.key.value
            var keyPath: String { "\(node.keyPath).params.\(name)" }  // for errors only
            given.insert(name)
            guard let param = type.param(name) else {
                let message: String
                if let near = NameSuggester.suggest(name, from: known), let p = type.param(near) {
                    message = "unknown param '\(name)' for type \(type.name); did you mean '\(near)'? (expected \(p.expectation))"
                } else if known.isEmpty {
                    message = "unknown param '\(name)': type \(type.name) has no params"
                } else {
                    message = "unknown param '\(name)' for type \(type.name) (known params: \(known.joined(separator: ", ")))"
                }
                error(entry.key.location, keyPath, "\(node.label): \(message)")
                continue
            }
            switch ParamCoercion.coerce(entry.value.value, to: param) {
            case .success(let value): check.params[name] = value
            case .failure(let failure): error(entry.value.location, keyPath, "\(node.label): \(failure.message)")
            }
        }
        for param in type.params where !given.contains(param.name) {
            if let value = param.defaultValue {
                check.params[param.name] = value
            } else {
                let doc = param.doc.isEmpty ? "" : " — \(param.doc)"
                error(node.location(ofKey: "params"), "\(node.keyPath).params.\(param.name)",
                      "\(node.label): missing required param '\(param.name)' for type \(type.name) (expected \(param.expectation))\(doc)")
            }
        }
    }
}
