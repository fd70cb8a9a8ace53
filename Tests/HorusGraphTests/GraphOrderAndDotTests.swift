import XCTest
@testable import HorusGraph

final class GraphOrderAndDotTests: XCTestCase {
    /// Declared consumers-first so that the order must come from the edges, not the file.
    static let yaml = """
    graph: pipeline
    nodes:
      - name: plan
        type: planner
        inputs: {costmap: /costmap}
        outputs: {cmd: /cmd}
      - name: costmap
        type: costmap_builder
        inputs: {cloud: /cloud_ds}
        outputs: {costmap: /costmap}
      - name: down
        type: downsampler
        inputs: {cloud: /cloud}
        outputs: {cloud: /cloud_ds}
      - name: cloud
        type: depth_to_cloud
        params: {fx: 1, fy: 1, cx: 1, cy: 1}
        inputs: {depth: /camera/depth}
        outputs: {cloud: /cloud}
      - name: camera2
        type: camera_sim
        rate: 15
        outputs: {depth: /camera/depth2}
      - name: camera
        type: camera_sim
        rate: 30
        outputs: {depth: /camera/depth}
      - name: cloud2
        type: depth_to_cloud
        params: {fx: 1, fy: 1, cx: 1, cy: 1}
        inputs: {depth: /camera/depth2}
        outputs: {cloud: /cloud}
    record: {output: r.mcap}
    """

    func validated() throws -> ValidatedGraph {
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: Self.yaml, file: "p.yaml"), registry: TestRegistry.make())
        XCTAssertFalse(report.hasErrors, report.formatted())
        return try XCTUnwrap(report.graph)
    }

    func testTopologicalOrderSourcesFirstTiesByDeclaration() throws {
        let graph = try validated()
        XCTAssertEqual(graph.nodes.map(\.name), ["camera2", "camera", "cloud", "cloud2", "down", "costmap", "plan"])
        XCTAssertEqual(graph.topic("/cloud")?.publishers.map(\.description), ["cloud.cloud", "cloud2.cloud"])
        XCTAssertEqual(graph.edges.count, 6)
        XCTAssertEqual(graph.edges.first, GraphEdge(from: PortRef(node: "camera2", port: "depth"), to: PortRef(node: "cloud2", port: "depth"),
                                                    topic: "/camera/depth2", messageType: .depthImage))
    }

    func testDotContainsNodesTopicsAndTypedEdges() throws {
        let dot = GraphDot.render(try validated())
        XCTAssertTrue(dot.hasPrefix("digraph \"pipeline\" {"), dot)
        XCTAssertTrue(dot.contains("\"node:camera\" [shape=box, label=\"camera\\ncamera_sim\"];"), dot)
        XCTAssertTrue(dot.contains("\"topic:/cloud\" [shape=ellipse"), dot)
        XCTAssertTrue(dot.contains("\"node:camera\" -> \"topic:/camera/depth\" [label=\"depth: DepthImage\"];"), dot)
        XCTAssertTrue(dot.contains("\"topic:/cloud_ds\" -> \"node:costmap\" [label=\"cloud: PointCloud\"];"), dot)
        XCTAssertTrue(dot.contains("\"node:plan\" -> \"topic:/cmd\" [label=\"cmd: Twist\"];"), dot)
        XCTAssertTrue(dot.hasSuffix("}\n"))
    }
}
