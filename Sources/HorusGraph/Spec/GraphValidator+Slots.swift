/// Slot checks: every output with a `SlotDemand` must fit a class of the pool graphs run on,
/// else each tick would fail to allocate. Element counts flow along topics in execution order.
extension ValidationRun {
    mutating func checkSlots(order: [Int]) {
        let classes = GraphLimits.pool.classes
        guard let largest = classes.last else { return }
        var elementsByTopic: [String: Int] = [:]
        for i in order {
            let check = checks[i]
            guard let type = check.type, !type.slotDemands.isEmpty else { continue }
            let node = check.spec
            for demand in type.slotDemands {
                guard let topic = check.outputs.first(where: { $0.port.name == demand.port })?.binding.topic.value,
                      let (elements, how, location, keyPath) = elementCount(demand, check, elementsByTopic)
                else { continue }
                elementsByTopic[topic] = max(elementsByTopic[topic] ?? 0, elements)
                let perElement = demand.elementBytes(check.params)
                let (bytes, overflow) = elements.multipliedReportingOverflow(by: perElement)
                guard overflow || bytes > largest.slotSize else { continue }
                let needed = overflow ? "more than \(Int.max) bytes" : "\(bytes)-byte pool slots"
                let shown = overflow ? "" : " (\(how) x \(perElement) byte\(perElement == 1 ? "" : "s"))"
                error(location, keyPath,
                      "\(node.label): output '\(demand.port)' (\(topic)) needs \(needed)\(shown), more than the pool's largest class (\(Self.mib(largest.slotSize)) x \(largest.slotCount) slots), so every tick would fail; it needs a pool class of at least \(overflow ? "that" : Self.mib(Self.classSize(bytes)))")
            }
        }
    }

    /// Elements the demand produces, how they were counted, and where to point.
    private func elementCount(_ demand: SlotDemand, _ check: NodeCheck, _ elementsByTopic: [String: Int])
        -> (Int, String, SourceLocation, String)? {
        let node = check.spec
        switch demand.elements {
        case .params(let names):
            var product = 1
            var factors: [String] = []
            for name in names {
                guard let v = check.params[name]?.intValue else { return nil }
                let (p, overflow) = product.multipliedReportingOverflow(by: max(0, v))
                product = overflow ? Int.max : p
                factors.append(String(v))
            }
            let written = node.params.first { names.contains($0.key.value) }
            return (product, factors.joined(separator: " x "),
                    written?.key.location ?? node.location(ofKey: "params"),
                    "\(node.keyPath).params.\(written?.key.value ?? names.first ?? "")")
        case .input(let port, let strideParam):
            guard let binding = check.inputs.first(where: { $0.port.name == port })?.binding,
                  let upstream = elementsByTopic[binding.topic.value] else { return nil }
            let stride = max(1, strideParam.flatMap { check.params[$0]?.intValue } ?? 1)
            let elements = upstream / stride / stride
            let how = stride == 1 ? "\(upstream) elements of \(binding.topic.value)"
                : "\(upstream) elements of \(binding.topic.value) / \(stride)²"
            return (elements, how, binding.topic.location, "\(node.keyPath).inputs.\(port)")
        }
    }

    /// The power-of-two class size that holds `bytes`.
    static func classSize(_ bytes: Int) -> Int {
        var size = 64
        while size < bytes && size < Int.max / 2 { size <<= 1 }
        return size
    }

    /// `32 MiB`, `4 KiB` or `256 B`.
    static func mib(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }
}
