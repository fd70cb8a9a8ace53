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
        // Linear in nodes + edges (times log n): ready nodes wait in a min-heap by declaration
        // order; when none is ready, the first-declared remaining periodic node (or, failing
        // that, the first remaining node, which is on a cycle) is taken from a cursor.
        var remaining = Set(nodes)
        var inDegree = Dictionary(uniqueKeysWithValues: nodes.map { ($0, predecessors[$0]?.count ?? 0) })
        var ready = MinHeap(nodes.filter { inDegree[$0] == 0 })
        let periodic = nodes.filter { if case .periodic = checks[$0].trigger { return true }; return false }
        var periodicCursor = 0, anyCursor = 0
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        func take(_ n: Int) {
            remaining.remove(n)
            order.append(n)
            for s in successors[n] ?? [] where remaining.contains(s) {
                inDegree[s]! -= 1
                if inDegree[s] == 0 { ready.push(s) }
            }
        }
        while !remaining.isEmpty {
            if let next = ready.pop() {
                if remaining.contains(next) { take(next) }
                continue
            }
            // Stuck: every remaining node waits on another remaining node.
            while periodicCursor < periodic.count && !remaining.contains(periodic[periodicCursor]) { periodicCursor += 1 }
            if periodicCursor < periodic.count {
                take(periodic[periodicCursor])
                continue
            }
            while !remaining.contains(nodes[anyCursor]) { anyCursor += 1 }
            let cycle = findCycle(from: nodes[anyCursor], in: remaining, predecessors: predecessors)
            let names = (cycle + [cycle[0]]).map { checks[$0].name ?? "?" }.joined(separator: " -> ")
            let first = checks[cycle[0]].spec
            error(first.location, first.keyPath,
                  "\(first.label): nodes \(names) form a cycle of input-triggered nodes, so none of them can run first; give one of them a 'rate'")
            for n in cycle.sorted() where remaining.contains(n) { take(n) }
        }
        return order
    }

    private func findCycle(from start: Int, in remaining: Set<Int>, predecessors: [Int: Set<Int>]) -> [Int] {
        var path: [Int] = []
        var onPath = Set<Int>()
        var current = start
        while !onPath.contains(current) {
            path.append(current)
            onPath.insert(current)
            guard let pred = predecessors[current]?.filter({ remaining.contains($0) }).min() else { return path }
            current = pred
        }
        // Walking predecessors lists the cycle backwards; reverse it and start at the first-declared node.
        let cycle = Array(path[path.firstIndex(of: current)!...].reversed())
        let first = cycle.firstIndex(of: cycle.min()!)!
        return Array(cycle[first...] + cycle[..<first])
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
        // Subscribers of each topic in execution order, built once (edges stay linear in size).
        var subscribersByTopic: [String: [(node: Int, port: PortSpec)]] = [:]
        for j in order {
            for (inBinding, inPort) in checks[j].inputs { subscribersByTopic[inBinding.topic.value, default: []].append((j, inPort)) }
        }
        var edges: [GraphEdge] = []
        for i in order {
            for (binding, port) in checks[i].outputs {
                guard let topic = topicByName[binding.topic.value] else { continue }
                for (j, inPort) in subscribersByTopic[topic.name] ?? [] {
                    edges.append(GraphEdge(from: PortRef(node: checks[i].name!, port: port.name),
                                           to: PortRef(node: checks[j].name!, port: inPort.name),
                                           topic: topic.name, messageType: topic.type))
                }
            }
        }
        return ValidatedGraph(name: spec.name.value, sourceFile: spec.sourceFile, nodes: nodes,
                              topics: topics, edges: edges, record: spec.record)
    }
}

/// A binary min-heap of node indices (the ready set of the topological sort).
struct MinHeap {
    private var items: [Int] = []

    init(_ initial: [Int]) {
        for i in initial { push(i) }
    }

    mutating func push(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count && items[left] < items[smallest] { smallest = left }
                if right < items.count && items[right] < items[smallest] { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
