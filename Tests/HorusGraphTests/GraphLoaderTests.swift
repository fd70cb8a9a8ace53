import XCTest
@testable import HorusGraph

final class GraphLoaderTests: XCTestCase {
    static let fullGraph = """
    graph: camera_to_costmap
    nodes:
      - name: camera
        type: camera_sim
        rate: 30
        isolate: none
        restart: {policy: on-failure, max_restarts: 3, backoff_ms: 200}
        params: {width: 320, height: 240, fx: 262.5}
        outputs: {color: /camera/color, depth: /camera/depth}
      - name: cloud
        type: depth_to_cloud
        trigger: depth
        params:
          fx: 525.0
          fy: 525
          cx: 319.5
          cy: 239.5
        inputs: {depth: /camera/depth, color: /camera/color}
        outputs: {cloud: /cloud}
      - name: costmap
        type: costmap_builder
        inputs:
          cloud: /cloud
        outputs:
          costmap: /costmap
        params: {frame: odom, origin: [-5.0, -5]}
      - name: plan
        type: planner
        inputs: {costmap: /costmap}
        outputs: {cmd: /cmd_vel}
    topics:
      /camera/depth: {type: DepthImage, capacity: 8, history: 1}
    record:
      output: run.mcap
      topics: [/camera/depth, /cmd_vel]
    """

    func testFullGraphParsesWithValuesAndLocations() throws {
        let spec = try GraphLoader.parse(yaml: Self.fullGraph, file: "graph.yaml")
        XCTAssertEqual(spec.diagnostics, [])
        XCTAssertEqual(spec.name.value, "camera_to_costmap")
        XCTAssertEqual(spec.nodes.count, 4)
        let camera = spec.nodes[0]
        XCTAssertEqual(camera.name?.value, "camera")
        XCTAssertEqual(camera.name?.location, SourceLocation(file: "graph.yaml", line: 3, column: 11))
        XCTAssertEqual(camera.location.line, 3)
        XCTAssertEqual(camera.type?.value, "camera_sim")
        XCTAssertEqual(camera.rate?.value, 30)
        XCTAssertEqual(camera.rate?.location.line, 5)
        XCTAssertEqual(camera.isolate?.value, IsolationMode.none)
        XCTAssertEqual(camera.restart?.value, RestartPolicy(kind: .onFailure, maxRestarts: 3, backoffMilliseconds: 200))
        XCTAssertEqual(camera.params.map(\.key.value), ["width", "height", "fx"])
        XCTAssertEqual(camera.params[0].value.value, .int(320))
        XCTAssertEqual(camera.params[2].value.value, .double(262.5))
        XCTAssertEqual(camera.outputs.map(\.topic.value), ["/camera/color", "/camera/depth"])

        let cloud = spec.nodes[1]
        XCTAssertEqual(cloud.trigger?.value, "depth")
        XCTAssertEqual(cloud.params[0].key.location, SourceLocation(file: "graph.yaml", line: 14, column: 7))
        XCTAssertEqual(cloud.params[0].value.location, SourceLocation(file: "graph.yaml", line: 14, column: 11))
        XCTAssertEqual(cloud.inputs.first?.port.value, "depth")

        XCTAssertEqual(spec.topics.count, 1)
        XCTAssertEqual(spec.topics[0].name.value, "/camera/depth")
        XCTAssertEqual(spec.topics[0].type?.value, "DepthImage")
        XCTAssertEqual(spec.topics[0].capacity?.value, 8)
        XCTAssertEqual(spec.topics[0].history?.value, 1)
        XCTAssertEqual(spec.topics[0].name.location.line, 32)
        XCTAssertEqual(spec.record?.output?.value, "run.mcap")
        XCTAssertEqual(spec.record?.topics?.map(\.value), ["/camera/depth", "/cmd_vel"])
    }

    func testValidFullGraphValidatesWithTypedParams() throws {
        let spec = try GraphLoader.parse(yaml: Self.fullGraph, file: "graph.yaml")
        let report = GraphValidator.validate(spec, registry: TestRegistry.make())
        XCTAssertFalse(report.hasErrors, report.formatted())
        let graph = try XCTUnwrap(report.graph)
        let camera = try XCTUnwrap(graph.node("camera"))
        XCTAssertEqual(camera.params["width"], .int(320))
        XCTAssertEqual(camera.params["rate"], .double(30))  // default filled in
        XCTAssertEqual(camera.trigger, .periodic(hz: 30))
        XCTAssertEqual(camera.restart.maxRestarts, 3)
        let cloud = try XCTUnwrap(graph.node("cloud"))
        XCTAssertEqual(cloud.params["fy"], .double(525))  // int literal widened to double
        XCTAssertEqual(cloud.trigger, .input("depth"))
        XCTAssertEqual(cloud.inputs["color"], "/camera/color")
        let costmap = try XCTUnwrap(graph.node("costmap"))
        XCTAssertEqual(costmap.trigger, .anyInput)
        XCTAssertEqual(costmap.params["origin"], .doubleList([-5, -5]))
        XCTAssertEqual(costmap.params["inflate"], .bool(true))
        XCTAssertEqual(costmap.params["frame"], .string("odom"))
        XCTAssertEqual(graph.topic("/camera/depth")?.capacity, 8)
        XCTAssertEqual(graph.topic("/cloud")?.type, .pointCloud)
        XCTAssertEqual(graph.topic("/cmd_vel")?.type, "Twist")
        // /cmd_vel is recorded, so its lack of readers is not a warning.
        XCTAssertEqual(report.warnings, [])
    }

    func testYAMLSyntaxErrorReportsLine() {
        let yaml = """
        graph: broken
        nodes:
          - name: camera
            type: camera_sim
            params: {width: 640, height: 480
          - name: other
        """
        XCTAssertThrowsError(try GraphLoader.parse(yaml: yaml, file: "bad.yaml")) { error in
            guard let e = error as? GraphLoadError else { return XCTFail("wrong error \(error)") }
            XCTAssertEqual(e.diagnostic.severity, .error)
            XCTAssertEqual(e.diagnostic.location.file, "bad.yaml")
            XCTAssertEqual(e.diagnostic.location.line, 6, e.description)
            XCTAssertTrue(e.description.hasPrefix("bad.yaml:6:"), e.description)
            XCTAssertTrue(e.diagnostic.message.contains("YAML syntax error"), e.description)
        }
    }

    func testDuplicateYAMLKeyIsReported() {
        let yaml = "graph: g\nnodes: []\nnodes: []\n"
        XCTAssertThrowsError(try GraphLoader.parse(yaml: yaml, file: "dup.yaml")) { error in
            let d = (error as? GraphLoadError)?.diagnostic
            XCTAssertEqual(d?.location.line, 2)
            XCTAssertTrue(d?.message.contains("'nodes'") ?? false, "\(String(describing: d))")
        }
    }

    func testLoadAndValidateReportsMissingFile() {
        let report = GraphLoader.loadAndValidate(path: "/nonexistent/graph.yaml", registry: TestRegistry.make())
        XCTAssertTrue(report.hasErrors)
        XCTAssertEqual(report.errors.first?.location.file, "/nonexistent/graph.yaml")
        XCTAssertTrue(report.errors.first?.message.contains("cannot read graph file") ?? false)
    }

    func testOnAndYesStayStrings() throws {
        let spec = try GraphLoader.parse(yaml: "graph: g\nnodes:\n  - name: a\n    params: {x: on, y: true, z: '5'}\n", file: "g.yaml")
        XCTAssertEqual(spec.nodes[0].params.map(\.value.value), [.string("on"), .bool(true), .string("5")])
    }
}
