import Foundation
import HorusMemory
import HorusTopics
import XCTest
@testable import HorusGraph
#if canImport(Glibc)
import Glibc
#endif

/// Source: publishes a 1-element tensor holding its tick count.
final class CounterNode: Node {
    var out: OutputPort<Tensor>!
    var n = 0.0
    func configure(_ c: NodeContext) throws { out = try c.output("out", as: Tensor.self) }
    func tick(_ c: NodeContext) throws {
        let t = try Tensor(shape: [1], pool: c.pool)
        t[element: 0] = n
        n += 1
        try out.publish(t)
    }
}

/// Doubles every input and collects what it saw.
final class DoublerNode: Node {
    var inPort: InputPort<Tensor>!
    var out: OutputPort<Tensor>!
    var seen: [Double] = []
    func configure(_ c: NodeContext) throws {
        inPort = try c.input("in", as: Tensor.self)
        out = try c.output("out", as: Tensor.self)
    }
    func tick(_ c: NodeContext) throws {
        while let sample = inPort.next() {
            seen.append(sample[element: 0])
            try out.publish(try sample * 2)
        }
    }
}

final class GraphRunnerTests: XCTestCase {
    func catalog() throws -> NodeCatalog {
        var c = NodeCatalog()
        try c.register(NodeTypeSpec(name: "counter", ports: [.output("out", .tensor)], params: [],
                                    defaultTrigger: .periodic(hz: 100)), factory: { CounterNode() })
        try c.register(NodeTypeSpec(name: "doubler", ports: [.input("in", .tensor), .output("out", .tensor)]),
                       factory: { DoublerNode() })
        return c
    }

    func graph(_ yaml: String) throws -> ValidatedGraph {
        let spec = try GraphLoader.parse(yaml: yaml, file: "test.yaml")
        let report = GraphValidator.validate(spec, registry: try catalog().registry)
        XCTAssertFalse(report.hasErrors, report.formatted(sourceText: yaml))
        return try XCTUnwrap(report.graph)
    }

    override func setUp() { setenv("HORUS_NAMESPACE", "gr\(getpid())", 1) }

    func testTickBudgetRunsSourceThenDrainsConsumers() throws {
        let g = try graph("""
        graph: t
        nodes:
          - {name: src, type: counter, rate: 200, outputs: {out: /t\(getpid())/a}}
          - {name: dbl, type: doubler, trigger: in, inputs: {in: /t\(getpid())/a}, outputs: {out: /t\(getpid())/b}}
          - {name: dbl2, type: doubler, inputs: {in: /t\(getpid())/b}, outputs: {out: /t\(getpid())/c}}
        topics:
          /t\(getpid())/a: {capacity: 64}
          /t\(getpid())/b: {capacity: 64}
        """)
        let runner = try GraphRunner(graph: g, catalog: try catalog(), options: RunOptions(duration: 10, ticks: 40, log: { _ in }))
        let t0 = Date()
        try runner.run()
        let took = Date().timeIntervalSince(t0)
        let dbl = try XCTUnwrap(runner.node(named: "dbl") as? DoublerNode)
        let dbl2 = try XCTUnwrap(runner.node(named: "dbl2") as? DoublerNode)
        XCTAssertEqual(dbl.seen, (0..<40).map(Double.init), "every sample, in order")
        XCTAssertEqual(dbl2.seen, (0..<40).map { Double($0) * 2 })
        XCTAssertLessThan(took, 5, "40 ticks at 200 Hz finish quickly")
        let src = try XCTUnwrap(runner.statuses.first { $0.name == "src" })
        XCTAssertEqual(src.ticks, 40)
        XCTAssertEqual(src.messagesOut, 40)
        XCTAssertEqual(runner.statuses.first { $0.name == "dbl2" }?.messagesIn, 40)
    }

    func testRateIsHeldWithoutDrift() throws {
        let g = try graph("""
        graph: t
        nodes:
          - {name: src, type: counter, rate: 50, outputs: {out: /t\(getpid())/r}}
          - {name: dbl, type: doubler, inputs: {in: /t\(getpid())/r}, outputs: {out: /t\(getpid())/r2}}
        """)
        let runner = try GraphRunner(graph: g, catalog: try catalog(), options: RunOptions(duration: 1.0, log: { _ in }))
        try runner.run()
        let src = try XCTUnwrap(runner.statuses.first { $0.name == "src" })
        // Deadlines are absolute: 1.0 s at 50 Hz gives 50 (+1 for the tick at t=0) ticks.
        XCTAssertGreaterThanOrEqual(src.ticks, 49)
        XCTAssertLessThanOrEqual(src.ticks, 52)
        XCTAssertEqual(src.achievedHz, 50, accuracy: 2.5)
    }
}
