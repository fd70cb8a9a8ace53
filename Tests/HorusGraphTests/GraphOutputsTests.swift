import HorusGraph
import XCTest

/// Graph-level `outputs:` and per-topic `external: true`: topics read from outside the graph.
final class GraphOutputsTests: XCTestCase {
    private func validate(_ yaml: String) throws -> ValidationReport {
        GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: TestRegistry.make())
    }

    private let nodes = """
    graph: g
    nodes:
      - name: cam
        type: camera_sim
        rate: 10
        outputs: {color: /color, depth: /depth}

    """

    func testUnreadTopicsWarnWithoutOutputs() throws {
        let report = try validate(nodes)
        XCTAssertEqual(report.warnings.count, 2, report.formatted())
        XCTAssertTrue(report.warnings.allSatisfy { $0.message.contains("is not read by any node") })
    }

    func testOutputsListAndExternalSilenceTheWarning() throws {
        let report = try validate(nodes + """
        outputs: [/color]
        topics:
          /depth: {type: DepthImage, external: true}
        """)
        XCTAssertFalse(report.hasErrors, report.formatted())
        XCTAssertEqual(report.warnings.count, 0, report.formatted())
        XCTAssertEqual(report.graph?.topics.map(\.name), ["/color", "/depth"])
    }

    func testOutputNotPublishedIsAnErrorWithSuggestion() throws {
        let report = try validate(nodes + "outputs: [/colour, bad name]\n")
        let missing = try XCTUnwrap(report.errors.first { $0.keyPath == "outputs[0]" }, report.formatted())
        XCTAssertEqual(missing.location.line, 7)
        XCTAssertTrue(missing.message.contains("outputs: topic '/colour' is not published by any node; did you mean '/color'?"), missing.message)
        XCTAssertNotNil(report.errors.first { $0.keyPath == "outputs[1]" }, report.formatted())
        // /color is still unread: the misspelt entry does not silence it.
        XCTAssertTrue(report.warnings.contains { $0.message.contains("'/color'") }, report.formatted())
    }

    func testShapeErrors() throws {
        let report = try validate(nodes + """
        outputs: /color
        topics:
          /depth: {external: yes}
        """)
        let list = try XCTUnwrap(report.errors.first { $0.keyPath == "outputs" }, report.formatted())
        XCTAssertTrue(list.message.contains("'outputs' must be a list of topic names"), list.message)
        let ext = try XCTUnwrap(report.errors.first { $0.keyPath == "topics./depth.external" }, report.formatted())
        XCTAssertTrue(ext.message.contains("'external' must be true or false, got"), ext.message)
    }

    func testRequiredOutputMustBeWired() throws {
        let reg = try NodeTypeRegistry([
            NodeTypeSpec(name: "src", ports: [.output("main", .image, required: true), .output("debug", .image)],
                         defaultTrigger: .periodic(hz: 10)),
        ])
        let spec = try GraphLoader.parse(yaml: "nodes:\n  - name: s\n    type: src\n    outputs: {debug: /d}\noutputs: [/d]\n", file: "g.yaml")
        let report = GraphValidator.validate(spec, registry: reg)
        XCTAssertEqual(report.errors.count, 1, report.formatted())
        XCTAssertEqual(report.errors.first?.keyPath, "nodes[0].outputs.main")
        XCTAssertTrue(report.errors.first?.message.contains("required output 'main' (Image) of type src is not wired") ?? false, report.formatted())
        XCTAssertEqual(report.errors.first?.location.line, 4, "at the outputs key")
    }
}
