/// Deterministic topological order (Kahn's algorithm, ties by declaration order) and cycle checks.
///
/// A cycle is allowed only if at least one node on it is rate-triggered: that node is then
/// ordered as if its inputs were not yet available. A cycle made only of input-triggered nodes
/// can never start and is an error.
extension ValidationRun {
    /// Indices into `checks`, in execution order (nodes without a valid name are left out).
    mutating func topologicalOrder() -> [Int] {
        let nodes = checks.indices.filter { checks[$0].name != nil }
        var successors: [Int: Set<Int>] = [:]
        var predecessors: [Int: Set<Int>] = [:]
        var publishersByTopic: [String: [Int]] = [:]
        for i in nodes {
            for (binding, _) in checks[i].outputs { publishersByTopic[binding.topic.value, default: []].append(i) }
        }
        for i in nodes {
            for (binding, _) in checks[i].inputs {
                for p in publishersByTopic[binding.topic.value] ?? [] {
                    successors[p, default: []].insert(i)
                    predecessors[i, default: []].insert(p)
                }
            }
        }
        var remaining = Set(nodes)
        var inDegree = Dictionary(uniqueKeysWithValues: nodes.map { ($0, predecessors[$0]?.count ?? 0) })
        var order: [Int] = []
        func take(_ n: Int) {
            remaining.remove(n)
            order.append(n)
            for s in successors[n] ?? [] where remaining.contains(s) { inDegree[s]! -= 1 }
        }
        while !remaining.isEmpty {
            if let ready = remaining.filter({ inDegree[$0] == 0 }).min() {
                take(ready)
                continue
            }
            // Stuck: every remaining node waits on another remaining node.
            if let periodic = remaining.filter({ if case .periodic = checks[$0].trigger { return true }; return false }).min() {
                take(periodic)
                continue
            }
            let cycle = findCycle(in: remaining, predecessors: predecessors)
            let names = (cycle + [cycle[0]]).map { checks[$0].name ?? "?" }.joined(separator: " -> ")
            let first = checks[cycle[0]].spec
            error(first.location, first.keyPath,
                  "\(first.label): nodes \(names) form a cycle of input-triggered nodes, so none of them can run first; give one of them a 'rate'")
            for n in cycle.sorted() where remaining.contains(n) { take(n) }
        }
        return order
    }

    private func findCycle(in remaining: Set<Int>, predecessors: [Int: Set<Int>]) -> [Int] {
        var path: [Int] = []
        var current = remaining.min()!
        while !path.contains(current) {
            path.append(current)
            guard let pred = predecessors[current]?.filter({ remaining.contains($0) }).min() else { return path }
            current = pred
        }
        // Walking predecessors lists the cycle backwards; reverse it and start at the first-declared node.
        let cycle = Array(path[path.firstIndex(of: current)!...].reversed())
        let start = cycle.firstIndex(of: cycle.min()!)!
        return Array(cycle[start...] + cycle[..<start])
    }

    func buildGraph(order: [Int], topics: [ResolvedTopic]) -> ValidatedGraph {
        let nodes = order.map { i -> ResolvedNode in
            let c = checks[i]
            return ResolvedNode(
                name: c.name!, declarationIndex: c.spec.index, type: c.type!, source: c.source!,
                trigger: c.trigger!, isolation: c.spec.isolate?.value ?? .none,
                restart: c.spec.restart?.value ?? .default, params: c.params,
                inputs: Dictionary(uniqueKeysWithValues: c.inputs.map { ($0.port.name, $0.binding.topic.value) }),
                outputs: Dictionary(uniqueKeysWithValues: c.outputs.map { ($0.port.name, $0.binding.topic.value) }),
                location: c.spec.location, maxHeld: c.spec.maxHeld?.value ?? HeldMessageCensus.defaultMaxHeld)
        }
        let topicByName = Dictionary(uniqueKeysWithValues: topics.map { ($0.name, $0) })
        var edges: [GraphEdge] = []
        for i in order {
            for (binding, port) in checks[i].outputs {
                guard let topic = topicByName[binding.topic.value] else { continue }
                for j in order {
                    for (inBinding, inPort) in checks[j].inputs where inBinding.topic.value == topic.name {
                        edges.append(GraphEdge(from: PortRef(node: checks[i].name!, port: port.name),
                                               to: PortRef(node: checks[j].name!, port: inPort.name),
                                               topic: topic.name, messageType: topic.type))
                    }
                }
            }
        }
        return ValidatedGraph(name: spec.name.value, sourceFile: spec.sourceFile, nodes: nodes,
                              topics: topics, edges: edges, record: spec.record)
    }
}
