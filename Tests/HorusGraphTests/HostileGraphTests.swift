import Foundation
import XCTest
@testable import HorusGraph

/// Graph files as a hostile or unlucky user writes them: every number and name beyond what the
/// runtime can honour, alias bombs, deep nesting and large graphs get an exact, located error
/// (file:line:column, key path) from validation, never a trap, a hang or a run that cannot work.
final class HostileGraphTests: XCTestCase {
    /// Node types with declared pool slot demands (as the built-in camera and cloud nodes have).
    static let registry: NodeTypeRegistry = {
        let camera = NodeTypeSpec(
            name: "cam", ports: [.output("color", .image), .output("depth", .depthImage)],
            params: [ParamSpec("width", .int, default: .int(640), min: 8, max: 8192),
                     ParamSpec("height", .int, default: .int(480), min: 8, max: 8192),
                     ParamSpec("unit", .enumeration(["meters", "millimeters"]), default: .string("meters"))],
            defaultTrigger: .periodic(hz: 30),
            slotDemands: [SlotDemand(port: "color", elements: .params(["width", "height"]), bytesPerElement: 3),
                          SlotDemand(port: "depth", elements: .params(["width", "height"]), bytesPerElement: 4,
                                     bytesByParam: "unit", bytesByValue: ["meters": 4, "millimeters": 2])])
        let cloud = NodeTypeSpec(
            name: "cloud", ports: [.input("depth", .depthImage), .output("cloud", .pointCloud)],
            params: [ParamSpec("stride", .int, default: .int(1), min: 1, max: 64)],
            slotDemands: [SlotDemand(port: "cloud", elements: .input("depth", stride: "stride"), bytesPerElement: 12)])
        let sink = NodeTypeSpec(name: "sink", ports: [.input("in", .pointCloud, optional: true), .input("img", .image, optional: true)])
        // swiftlint:disable:next force_try
        return try! NodeTypeRegistry([camera, cloud, sink])
    }()

    func report(_ yaml: String, file: String = "hostile.yaml") throws -> ValidationReport {
        GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: file), registry: Self.registry)
    }

    /// The one error at `line:column` with `keyPath` whose message contains `fragments[0]`; fails unless it
    /// contains every fragment.
    func expectError(_ r: ValidationReport, _ line: Int, _ column: Int, _ keyPath: String, _ fragments: [String],
                     file: StaticString = #filePath, lineNo: UInt = #line) {
        let matching = r.errors.filter {
            $0.location.line == line && $0.location.column == column && $0.keyPath == keyPath && $0.message.contains(fragments[0])
        }
        guard matching.count == 1, let d = matching.first else {
            XCTFail("expected one error at \(line):\(column) \(keyPath), got:\n\(r.formatted())", file: file, line: lineNo)
            return
        }
        XCTAssertTrue(d.description.hasPrefix("hostile.yaml:\(line):\(column): error: "), d.description, file: file, line: lineNo)
        for f in fragments { XCTAssertTrue(d.message.contains(f), "'\(f)' not in: \(d.message)", file: file, line: lineNo) }
    }

    // MARK: Numbers and names

    func testNumbersAndNamesBeyondTheRuntimeAreRefusedWithFileLineAndKey() throws {
        let longTopic = "/" + String(repeating: "t", count: 838)  // 839 bytes, as in the report
        let longNode = String(repeating: "n", count: 128)
        let r = try report("""
        graph: extremes
        nodes:
          - name: slow
            type: cam
            rate: 1e-300
            outputs: {color: /a/color, depth: /a/depth}
          - name: fast
            type: cam
            rate: 1e7
            outputs: {color: /b/color, depth: /b/depth}
          - name: \(longNode)
            type: sink
            inputs: {img: \(longTopic)}
            restart: {policy: on-failure, max_restarts: 1000001, backoff_ms: 99999999999999}
        topics:
          /a/depth: {type: DepthImage, capacity: 1099511627776, history: 2000000}
        """)
        expectError(r, 5, 11, "nodes[0].rate", ["nodes[0] (slow): 'rate' must be in 1e-06...1000000 Hz", "got 1e-300"])
        expectError(r, 9, 11, "nodes[1].rate", ["nodes[1] (fast): 'rate' must be in 1e-06...1000000 Hz", "got 10000000"])
        expectError(r, 11, 11, "nodes[2].name", ["node name 'nnnn", "is 128 bytes; at most 127 are allowed"])
        expectError(r, 13, 19, "nodes[2].inputs.img", ["is 839 bytes; at most 127 fit", "ring header holds 127 bytes", "255-byte file name"])
        expectError(r, 14, 49, "nodes[2].restart.max_restarts", ["'restart.max_restarts' must be in 0...1000000, got 1000001"])
        expectError(r, 14, 70, "nodes[2].restart.backoff_ms", ["'restart.backoff_ms' must be in 0...3600000, got 99999999999999"])
        expectError(r, 16, 42, "topics./a/depth.capacity", ["'capacity' must be in 1...1048576, got 1099511627776"])
        expectError(r, 16, 66, "topics./a/depth.history", ["'history' must be in 0...1048576, got 2000000"])
        XCTAssertEqual(r.errors.count, 8, r.formatted())
        XCTAssertNil(r.graph)
    }

    func testTheLimitsThemselvesAreAccepted() throws {
        let topic = "/" + String(repeating: "t", count: GraphLimits.topicNameBytes() - 1)
        let r = try report("""
        graph: edges
        nodes:
          - name: \(String(repeating: "n", count: 127))
            type: cam
            rate: 1000000
            outputs: {color: \(topic), depth: /d}
          - name: slow
            type: cam
            rate: 0.000001
            outputs: {color: /c2, depth: /d2}
        topics:
          /d: {type: DepthImage, capacity: 1048576, history: 1048576}
        """)
        XCTAssertFalse(r.hasErrors, r.formatted())
        XCTAssertEqual(r.graph?.topic("/d")?.capacity, 1 << 20)
    }

    func testTopicNameLimitFollowsTheNamespace() {
        XCTAssertEqual(GraphLimits.topicNameBytes(namespace: "u1000"), 127)
        // 255 - "horus-" - namespace - "-topic-": a 200-byte namespace leaves 42 bytes.
        XCTAssertEqual(GraphLimits.topicNameBytes(namespace: String(repeating: "x", count: 200)), 42)
    }

    // MARK: Pool slots

    func testOutputsNoPoolClassHoldsAreRefusedNamingTheClassNeeded() throws {
        let r = try report("""
        graph: big
        nodes:
          - name: camera
            type: cam
            params: {width: 8192, height: 8192, unit: millimeters}
            outputs: {color: /cam/color, depth: /cam/depth}
          - name: points
            type: cloud
            params: {stride: 2}
            inputs: {depth: /cam/depth}
            outputs: {cloud: /cloud}
          - name: sink
            type: sink
            inputs: {in: /cloud, img: /cam/color}
        """)
        expectError(r, 5, 14, "nodes[0].params.width", [
            "nodes[0] (camera): output 'color' (/cam/color) needs 201326592-byte pool slots (8192 x 8192 x 3 bytes)",
            "more than the pool's largest class (32 MiB x 4 slots), so every tick would fail",
            "it needs a pool class of at least 256 MiB"])
        expectError(r, 10, 21, "nodes[1].inputs.depth", [
            "output 'cloud' (/cloud) needs 201326592-byte pool slots (67108864 elements of /cam/depth / 2² x 12 bytes)",
            "at least 256 MiB"])
        // millimeters: 8192 x 8192 x 2 = 128 MiB, also too large (same key as color, its own error).
        let depth = r.errors.filter { $0.message.contains("output 'depth'") }
        XCTAssertEqual(depth.count, 1)
        XCTAssertTrue(depth[0].message.contains("134217728-byte pool slots (8192 x 8192 x 2 bytes)"), depth[0].message)
        XCTAssertTrue(depth[0].message.contains("at least 128 MiB"), depth[0].message)
        XCTAssertEqual(r.errors.count, 3, r.formatted())
    }

    func testOutputsThatFitAreAccepted() throws {
        // 2048 x 2048 rgb = 12 MiB, depth (meters) = 16 MiB, cloud at stride 4 = 3 MiB: all fit 32 MiB.
        let r = try report("""
        graph: fits
        nodes:
          - name: camera
            type: cam
            params: {width: 2048, height: 2048}
            outputs: {color: /c, depth: /d}
          - name: points
            type: cloud
            params: {stride: 4}
            inputs: {depth: /d}
            outputs: {cloud: /p}
          - name: sink
            type: sink
            inputs: {in: /p, img: /c}
        """)
        XCTAssertFalse(r.hasErrors, r.formatted())
    }

    // MARK: YAML

    func testAliasBombIsRefusedBeforeItExpands() throws {
        var lines = ["graph: bomb", #"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for i in 1..<10 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ",") + "]") }
        lines.append("nodes: []")
        let yaml = lines.joined(separator: "\n")
        XCTAssertThrowsError(try GraphLoader.parse(yaml: yaml, file: "hostile.yaml")) { e in
            guard let d = (e as? GraphLoadError)?.diagnostic else { return XCTFail("\(e)") }
            XCTAssertEqual(d.location.file, "hostile.yaml")
            XCTAssertEqual(d.location.line, 2, d.description)
            XCTAssertTrue(d.keyPath.hasPrefix("a5[0]"), d.keyPath)
            XCTAssertTrue(d.message.contains("YAML aliases expand this document past 100000 values more than its size in bytes"), d.message)
        }
    }

    func testAliasesOfOrdinarySizeStillWork() throws {
        let r = try report("""
        graph: shared
        defaults: &big {width: 1024, height: 768}
        nodes:
          - {name: c1, type: cam, params: *big, outputs: {color: /c1, depth: /d1}}
          - {name: c2, type: cam, params: *big, outputs: {color: /c2, depth: /d2}}
        """)
        XCTAssertEqual(r.errors.map(\.keyPath), ["defaults"], r.formatted())  // an unknown top-level key, nothing else
        XCTAssertEqual(try GraphLoader.parse(yaml: """
            graph: shared
            nodes:
              - {name: c1, type: cam, params: &p {width: 1024, height: 768}, outputs: {color: /c1, depth: /d1}}
              - {name: c2, type: cam, params: *p, outputs: {color: /c2, depth: /d2}}
            """, file: "hostile.yaml").nodes[1].params.map(\.key.value), ["width", "height"])
    }

    func testDeepNestingIsRefusedAtItsKey() throws {
        let yaml = "graph: deep\nnodes: []\nx: {y: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}\n"
        XCTAssertThrowsError(try GraphLoader.parse(yaml: yaml, file: "hostile.yaml")) { e in
            guard let d = (e as? GraphLoadError)?.diagnostic else { return XCTFail("\(e)") }
            XCTAssertEqual(d.location.line, 3, d.description)
            XCTAssertEqual(d.keyPath, "x.y" + String(repeating: "[0]", count: 30))
            XCTAssertTrue(d.message.hasSuffix("mappings and lists nest deeper than 32 levels"), d.message)
        }
        // libyaml's own limit (1000) still answers for far deeper documents, with a location.
        let deeper = "graph: deep\nx: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        XCTAssertThrowsError(try GraphLoader.parse(yaml: deeper, file: "hostile.yaml")) { e in
            guard let d = (e as? GraphLoadError)?.diagnostic else { return XCTFail("\(e)") }
            XCTAssertEqual(d.location.line, 2, d.description)
            XCTAssertTrue(d.message.contains("nesting"), d.message)
        }
    }

    // MARK: Size

    /// `count` chains of cam -> cloud -> sink with their own topics.
    static func chains(_ count: Int) -> String {
        var out = "graph: chains\nnodes:\n"
        for i in 0..<count {
            out += """
              - {name: cam\(i), type: cam, rate: 30, outputs: {color: /c\(i)/color, depth: /c\(i)/depth}}
              - {name: cloud\(i), type: cloud, inputs: {depth: /c\(i)/depth}, outputs: {cloud: /c\(i)/cloud}}
              - {name: sink\(i), type: sink, inputs: {in: /c\(i)/cloud, img: /c\(i)/color}}

            """
        }
        return out
    }

    func testValidationStaysLinearInGraphSize() throws {
        // Quadratic validation took 12.5 s for 1,000 nodes and 50 s for 2,000: an 8x larger graph cost
        // 64x. Linear is 8x; the bound leaves room for a loaded machine.
        func seconds(_ chains: Int) throws -> Double {
            let yaml = Self.chains(chains)
            var best = Double.infinity
            for _ in 0..<2 {
                let t0 = Date()
                let r = try report(yaml)
                XCTAssertFalse(r.hasErrors)
                XCTAssertEqual(r.graph?.nodes.count, chains * 3)
                XCTAssertEqual(r.graph?.edges.count, chains * 3)
                _ = r.formatted(sourceText: yaml)
                best = min(best, Date().timeIntervalSince(t0))
            }
            return best
        }
        let small = try seconds(150), large = try seconds(1200)
        XCTAssertLessThan(large / small, 24, "450 nodes: \(small) s, 3600 nodes: \(large) s")
    }

    func testOrderOfALargeGraphIsTopologicalWithTiesByDeclaration() throws {
        // Sinks declared first, then clouds, then cameras: each chain must still run camera, cloud,
        // sink, and among ready nodes the first declared goes first (Kahn's order, as before).
        var yaml = "graph: reversed\nnodes:\n"
        let n = 300
        for i in 0..<n { yaml += "  - {name: sink\(i), type: sink, inputs: {in: /c\(i)/cloud, img: /c\(i)/color}}\n" }
        for i in 0..<n { yaml += "  - {name: cloud\(i), type: cloud, inputs: {depth: /c\(i)/depth}, outputs: {cloud: /c\(i)/cloud}}\n" }
        for i in 0..<n { yaml += "  - {name: cam\(i), type: cam, rate: 30, outputs: {color: /c\(i)/color, depth: /c\(i)/depth}}\n" }
        let r = try report(yaml)
        let order = try XCTUnwrap(r.graph, r.formatted()).nodes.map(\.name)
        XCTAssertEqual(order, (0..<n).flatMap { ["cam\($0)", "cloud\($0)", "sink\($0)"] })
    }
}
