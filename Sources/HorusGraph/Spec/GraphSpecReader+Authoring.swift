/// Reading the graph-level `outputs:` list, boolean fields (`external:`) and `max_held:`.
extension GraphSpecReader {
    /// `outputs: [/map/costmap, /camera/color]`: topics read from outside the graph.
    mutating func readGraphOutputs(_ value: Located<SpecValue>) -> [Located<String>] {
        switch value.value {
        case .null: return []
        case .list(let items):
            return items.enumerated().compactMap { string($0.element, "outputs[\($0.offset)]", "outputs[\($0.offset)] (a topic name)") }
        default:
            error(value.location, "outputs",
                  "'outputs' must be a list of topic names read from outside the graph (e.g. [/map/costmap]), got \(value.value.describedForDiagnostic)")
            return []
        }
    }

    mutating func boolean(_ value: Located<SpecValue>, _ keyPath: String, _ what: String) -> Located<Bool>? {
        if case .bool(let b) = value.value { return Located(b, at: value.location) }
        error(value.location, keyPath, "\(what) must be true or false, got \(value.value.describedForDiagnostic)")
        return nil
    }
}

extension GraphSpecReader {
    /// `max_held: 64`: an integer in 1...`HeldMessageCensus.maxMaxHeld`.
    mutating func readMaxHeld(_ value: Located<SpecValue>, _ keyPath: String, _ label: String) -> Located<Int>? {
        integer(value, keyPath, "\(label): 'max_held'", in: 1...HeldMessageCensus.maxMaxHeld)
    }
}
