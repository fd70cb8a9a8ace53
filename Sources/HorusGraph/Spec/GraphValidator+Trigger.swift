/// Trigger checks: `rate` > 0, not both `rate` and `trigger`, trigger names a wired input,
/// sources need a rate. Words `input` and `any` mean "any input" unless a port has that name.
extension ValidationRun {
    static let anyInputWords: Set<String> = ["input", "any"]

    /// `30` rather than `30.0` for whole numbers.
    static func formatHz(_ hz: Double) -> String {
        hz.rounded() == hz && abs(hz) < 1e15 ? String(Int(hz)) : String(hz)
    }

    mutating func checkTrigger(_ check: inout NodeCheck, _ type: NodeTypeSpec) {
        let node = check.spec
        let wired = Set(check.inputs.map(\.port.name))
        if let rate = node.rate, let trigger = node.trigger {
            error(trigger.location, "\(node.keyPath).trigger",
                  "\(node.label): set either 'rate' (\(Self.formatHz(rate.value)) Hz) or 'trigger', not both")
            return
        }
        if let rate = node.rate {
            guard rate.value > 0, rate.value.isFinite else {
                error(rate.location, "\(node.keyPath).rate", "\(node.label): 'rate' must be a positive number of Hz, got \(Self.formatHz(rate.value))")
                return
            }
            guard GraphLimits.rate.contains(rate.value) else {
                error(rate.location, "\(node.keyPath).rate",
                      "\(node.label): 'rate' must be in \(Self.formatHz(GraphLimits.rate.lowerBound))...\(Self.formatHz(GraphLimits.rate.upperBound)) Hz (what the scheduler can honour), got \(Self.formatHz(rate.value))")
                return
            }
            check.trigger = .periodic(hz: rate.value)
            return
        }
        if let trigger = node.trigger {
            let keyPath = "\(node.keyPath).trigger"
            let name = trigger.value
            if type.input(name) == nil && Self.anyInputWords.contains(name) {
                if wired.isEmpty && node.inputs.isEmpty {
                    error(trigger.location, keyPath, "\(node.label): 'trigger: \(name)' but the node has no wired inputs; use 'rate: <Hz>'")
                    return
                }
                check.trigger = .anyInput
            } else if let port = type.input(name) {
                if !node.inputs.contains(where: { $0.port.value == port.name }) {
                    error(trigger.location, keyPath, "\(node.label): trigger input '\(name)' is not wired under 'inputs'")
                    return
                }
                check.trigger = .input(name)
            } else {
                let inputs = type.inputs.map(\.name)
                var hint = NameSuggester.didYouMean(name, from: inputs + ["input"])
                if hint.isEmpty {
                    hint = inputs.isEmpty ? " (type \(type.name) has no inputs; use 'rate: <Hz>')"
                        : " (expected 'input' or one of: \(inputs.joined(separator: ", ")))"
                }
                error(trigger.location, keyPath, "\(node.label): trigger '\(name)' is not an input of type \(type.name)\(hint)")
            }
            return
        }
        switch type.defaultTrigger {
        case .periodic(let hz)?: check.trigger = .periodic(hz: hz)
        case .input(let port)? where node.inputs.contains(where: { $0.port.value == port }): check.trigger = .input(port)
        default:
            if !node.inputs.isEmpty {
                check.trigger = .anyInput
            } else if node.keyLocations["rate"] == nil && node.keyLocations["trigger"] == nil {
                // (a malformed rate/trigger was already reported by the loader)
                error(node.location, "\(node.keyPath).rate",
                      "\(node.label): node has no inputs, so it needs 'rate: <Hz>' to run")
            }
        }
    }
}
