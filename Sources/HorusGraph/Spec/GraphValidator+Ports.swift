/// Port checks: unknown or misplaced port names, required inputs or outputs left unwired.
extension ValidationRun {
    mutating func checkPorts(_ check: inout NodeCheck, _ type: NodeTypeSpec) {
        let node = check.spec
        check.inputs = matchPorts(node.inputs, .input, type, node)
        check.outputs = matchPorts(node.outputs, .output, type, node)
        let wired = Set(node.inputs.map(\.port.value))
        for port in type.inputs where !port.optional && !wired.contains(port.name) {
            error(node.location(ofKey: "inputs"), "\(node.keyPath).inputs.\(port.name)",
                  "\(node.label): required input '\(port.name)' (\(port.messageType)) of type \(type.name) is not wired; add '\(port.name): /some/topic' under 'inputs'")
        }
        let wiredOutputs = Set(node.outputs.map(\.port.value))
        for port in type.outputs where !port.optional && !wiredOutputs.contains(port.name) {
            error(node.location(ofKey: "outputs"), "\(node.keyPath).outputs.\(port.name)",
                  "\(node.label): required output '\(port.name)' (\(port.messageType)) of type \(type.name) is not wired; add '\(port.name): /some/topic' under 'outputs'")
        }
    }

    private mutating func matchPorts(_ bindings: [PortBinding], _ direction: PortDirection, _ type: NodeTypeSpec,
                                     _ node: NodeSpec) -> [(binding: PortBinding, port: PortSpec)] {
        let section = direction == .input ? "inputs" : "outputs"
        let candidates = direction == .input ? type.inputs : type.outputs
        var matched: [(binding: PortBinding, port: PortSpec)] = []
        for binding in bindings {
            let name = binding.port.value
            let keyPath = "\(node.keyPath).\(section).\(name)"
            if let port = candidates.first(where: { $0.name == name }) {
                matched.append((binding, port))
                continue
            }
            let other = direction == .input ? type.output(name) : type.input(name)
            if other != nil {
                let correct = direction == .input ? "outputs" : "inputs"
                error(binding.port.location, keyPath,
                      "\(node.label): '\(name)' is an \(direction == .input ? "output" : "input") port of type \(type.name), not an \(direction.rawValue); move it under '\(correct)'")
                continue
            }
            var hint = NameSuggester.didYouMean(name, from: candidates.map(\.name))
            if hint.isEmpty {
                hint = candidates.isEmpty ? " (type \(type.name) has no \(section))"
                    : " (\(section) of \(type.name): \(candidates.map { "\($0.name): \($0.messageType)" }.joined(separator: ", ")))"
            }
            error(binding.port.location, keyPath,
                  "\(node.label): unknown \(direction.rawValue) port '\(name)' for type \(type.name)\(hint)")
        }
        return matched
    }
}
