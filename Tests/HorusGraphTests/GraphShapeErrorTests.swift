import XCTest
import HorusGraph

/// Structural mistakes caught by the loader, reported together with semantic ones.
final class GraphShapeErrorTests: XCTestCase {
    func testShapeMistakesAreReportedWithLocations() throws {
        let yaml = """
        grpah: g
        nodes:
          - name: cam
            type: camera_sim
            rate: fast
            isolate: proces
            restart: {policy: sometimes, max_restarts: -1, backof_ms: 5}
            outputs: {depth: camera/depth}
          - name: 2bad
            params: [1, 2]
          - type: downsampler
            outputs: {cloud: /c}
            inputs: {cloud: /c2}
            trigger: input
          - name: x
            type: downsampler
            outputs: {cloud: /c}
            inputs: {clouds: /c}
        topics:
          /c: {type: Any, capasity: 3}
        record: {topics: [/nope]}
        """
        let spec = try GraphLoader.parse(yaml: yaml, file: "s.yaml")
        let report = GraphValidator.validate(spec, registry: TestRegistry.make())
        func has(_ line: Int, _ keyPath: String, _ fragment: String, file: StaticString = #filePath, lineNo: UInt = #line) {
            XCTAssertTrue(report.errors.contains { $0.location.line == line && $0.keyPath == keyPath && $0.message.contains(fragment) },
                          "no error at line \(line) \(keyPath) containing '\(fragment)'\n\(report.formatted())", file: file, line: lineNo)
        }
        has(1, "grpah", "unknown top-level key 'grpah'; did you mean 'graph'?")
        has(5, "nodes[0].rate", "'rate' must be a number in Hz, got string \"fast\"")
        has(6, "nodes[0].isolate", "'isolate' must be one of none, process, got string \"proces\"; did you mean 'process'?")
        has(7, "nodes[0].restart.policy", "restart policy must be one of never, on-failure, always")
        has(7, "nodes[0].restart.max_restarts", "must be in 0...1000000, got -1")
        has(7, "nodes[0].restart.backof_ms", "did you mean 'backoff_ms'?")
        has(8, "nodes[0].outputs.depth", "topic name 'camera/depth' must start with '/'")
        has(9, "nodes[1].name", "invalid node name '2bad'")
        has(10, "nodes[1].params", "'params' must be a mapping, got a list of 2 values")
        has(9, "nodes[1].type", "neither 'type'")
        has(11, "nodes[2].name", "node has no 'name'")
        has(13, "nodes[2].inputs.cloud", "'/c2', which no node publishes")
        has(18, "nodes[3].inputs.clouds", "unknown input port 'clouds' for type downsampler; did you mean 'cloud'?")
        has(18, "nodes[3].inputs.cloud", "required input 'cloud' (PointCloud)")
        // A malformed rate is reported once, not again as "needs 'rate'".
        XCTAssertFalse(report.errors.contains { $0.keyPath == "nodes[0].rate" && $0.message.contains("needs 'rate") })
        has(20, "topics./c.type", "'Any' is not allowed")
        has(20, "topics./c.capasity", "did you mean 'capacity'?")
        has(21, "record.output", "missing 'output'")
        has(21, "record.topics[0]", "topic '/nope' is not used by any node")
    }

    func testPortUnderWrongSectionGetsMoveHint() throws {
        let yaml = """
        nodes:
          - name: d
            type: downsampler
            rate: 5
            outputs: {cloud: /a}
            inputs: {cloud: /a}
          - name: c
            type: costmap_builder
            rate: 5
            inputs: {cloud: /a, costmap: /m}
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "dir/m.yaml"), registry: TestRegistry.make())
        let e = try XCTUnwrap(report.errors.first { $0.keyPath == "nodes[1].inputs.costmap" }, report.formatted())
        XCTAssertTrue(e.message.contains("'costmap' is an output port of type costmap_builder, not an input; move it under 'outputs'"), e.message)
        XCTAssertEqual(report.errors.count, 1, report.formatted())
    }
}
