import XCTest
import HorusGraph

/// Keeps docs/graph-format.md honest: its full example must validate cleanly.
final class DocExampleTests: XCTestCase {
    func testDocumentedExampleValidates() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/graph-format.md").standardized
        let text = try String(contentsOf: docs, encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "```yaml\n"))
        let end = try XCTUnwrap(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let yaml = String(text[start.upperBound..<end.lowerBound])

        let threshold = NodeTypeSpec(name: "threshold", ports: [.input("image", .image), .output("mask", .image)],
                                     params: [ParamSpec("level", .int, default: .int(128), min: 0, max: 255)])
        let resolver = StaticPluginResolver(libraries: ["/graphs/plugins/libthreshold.so": [threshold]])
        let spec = try GraphLoader.parse(yaml: yaml, file: "/graphs/graph.yaml")
        let rules = BridgeRules(bridgeableTypes: ["Costmap", "DepthImage", "Image", "PointCloud", "Pose"])
        let report = GraphValidator.validate(spec, registry: TestRegistry.make(), pluginResolver: resolver, bridgeRules: rules)
        XCTAssertEqual(report.diagnostics, [], report.formatted(sourceText: yaml))
        let graph = try XCTUnwrap(report.graph)
        XCTAssertEqual(graph.nodes.map(\.name), ["camera", "threshold", "cloud", "down", "costmap"])
        XCTAssertEqual(graph.node("threshold")?.source, .plugin(path: "/graphs/plugins/libthreshold.so"))
        XCTAssertEqual(graph.node("threshold")?.isolation, .process)
        XCTAssertEqual(graph.topic("/costmap")?.type, .costmap)
        XCTAssertEqual(graph.bridge?.exports.map(\.topic), ["/costmap", "/camera/depth"])
        XCTAssertEqual(graph.bridge?.exports.last?.rateLimitHz, 15)
        XCTAssertEqual(graph.bridge?.imports.map { "\($0.topic):\($0.type)" }, ["/goal:Pose"])
    }
}
