import XCTest
@testable import HorusGraph

final class GraphValidatorTests: XCTestCase {
    static let mistakes = """
    graph: mistakes
    nodes:
      - name: camera
        type: camera_sim
        rate: 0
        params: {width: 10000, height: "480"}
        outputs: {color: /camera/color, depth: /camera/depth}
      - name: cloud
        type: depth_to_clod
        inputs: {depth: /camera/depth}
        outputs: {cloud: /cloud}
      - name: down
        type: downsampler
        trigger: clod
        params:
          leaf_sise: 0.1
        inputs: {cloud: /camera/color}
        outputs: {cloud: /cloud_ds, clod: /x}
      - name: down
        type: costmap_builder
        inputs: {cloud: /cloud_missing}
        ouputs: {costmap: /costmap}
      - name: cm
        type: costmap_builder
        params: {resolution: fine}
        outputs: {costmap: /costmap}
    topics:
      /cloud_ds: {type: Image}
    """

    struct Expected {
        let line: Int, column: Int, keyPath: String, fragments: [String]
    }

    func testManyMistakesAreAllReportedAtOnce() throws {
        let spec = try GraphLoader.parse(yaml: Self.mistakes, file: "graph.yaml")
        let report = GraphValidator.validate(spec, registry: TestRegistry.make())
        XCTAssertTrue(report.hasErrors)
        XCTAssertNil(report.graph)
        let expected: [Expected] = [
            .init(line: 5, column: 11, keyPath: "nodes[0].rate", fragments: ["nodes[0] (camera)", "'rate' must be a positive", "got 0"]),
            .init(line: 6, column: 21, keyPath: "nodes[0].params.width", fragments: ["'width' = 10000 is out of range", "int in 1...8192"]),
            .init(line: 6, column: 36, keyPath: "nodes[0].params.height", fragments: ["expects int in 1...8192", "got string \"480\"", "remove the quotes"]),
            .init(line: 9, column: 11, keyPath: "nodes[1].type", fragments: ["nodes[1] (cloud): unknown node type 'depth_to_clod'; did you mean 'depth_to_cloud'?"]),
            .init(line: 14, column: 14, keyPath: "nodes[2].trigger", fragments: ["trigger 'clod' is not an input of type downsampler; did you mean 'cloud'?"]),
            .init(line: 16, column: 7, keyPath: "nodes[2].params.leaf_sise", fragments: [
                "nodes[2] (down): unknown param 'leaf_sise' for type downsampler; did you mean 'leaf_size'? (expected double in 0.001...10.0)"]),
            .init(line: 17, column: 21, keyPath: "nodes[2].inputs.cloud", fragments: [
                "camera.color (camera_sim) publishes Image", "down.cloud (downsampler) expects PointCloud"]),
            .init(line: 18, column: 33, keyPath: "nodes[2].outputs.clod", fragments: ["unknown output port 'clod' for type downsampler; did you mean 'cloud'?"]),
            .init(line: 19, column: 11, keyPath: "nodes[3].name", fragments: ["duplicate node name 'down'", "nodes[2] at line 12"]),
            .init(line: 21, column: 21, keyPath: "nodes[3].inputs.cloud", fragments: ["'/cloud_missing', which no node publishes"]),
            .init(line: 22, column: 5, keyPath: "nodes[3].ouputs", fragments: ["nodes[3] (down): unknown node key 'ouputs'; did you mean 'outputs'?"]),
            .init(line: 23, column: 5, keyPath: "nodes[4].inputs.cloud", fragments: ["required input 'cloud' (PointCloud) of type costmap_builder is not wired"]),
            .init(line: 23, column: 5, keyPath: "nodes[4].rate", fragments: ["no inputs, so it needs 'rate: <Hz>'"]),
            .init(line: 25, column: 26, keyPath: "nodes[4].params.resolution", fragments: ["expects double in 0.001...1.0, got string \"fine\""]),
            .init(line: 28, column: 21, keyPath: "topics./cloud_ds.type", fragments: [
                "declared as Image but down.cloud (downsampler) publishes PointCloud"]),
        ]
        let errors = report.errors
        for e in expected {
            let match = errors.first { $0.location.line == e.line && $0.location.column == e.column && $0.keyPath == e.keyPath }
            guard let match else {
                XCTFail("missing error at \(e.line):\(e.column) \(e.keyPath)\n\(report.formatted())")
                continue
            }
            for fragment in e.fragments {
                XCTAssertTrue(match.message.contains(fragment), "'\(match.message)' lacks '\(fragment)'")
            }
            XCTAssertEqual(match.location.file, "graph.yaml")
        }
        XCTAssertEqual(errors.count, expected.count, report.formatted())
        // Unread topics are warnings only.
        XCTAssertTrue(report.warnings.contains { $0.message.contains("topic '/costmap'") && $0.message.contains("not read") },
                      report.formatted())
    }

    func testFormattedDiagnosticLooksLikeACompilerMessage() throws {
        let spec = try GraphLoader.parse(yaml: Self.mistakes, file: "graph.yaml")
        let report = GraphValidator.validate(spec, registry: TestRegistry.make())
        let text = report.formatted(sourceText: spec.sourceText)
        let expectedBlock = "graph.yaml:16:7: error: nodes[2] (down): unknown param 'leaf_sise' for type downsampler; "
            + "did you mean 'leaf_size'? (expected double in 0.001...10.0)\n"
            + "          leaf_sise: 0.1\n"
            + "          ^\n"
        XCTAssertTrue(text.contains(expectedBlock), text)
        XCTAssertTrue(text.hasSuffix("15 errors, 3 warnings\n"), text)
    }

    func testTypeMismatchNamesBothTypes() throws {
        let yaml = """
        graph: g
        nodes:
          - name: cam
            type: camera_sim
            rate: 10
            outputs: {color: /img}
          - name: c
            type: costmap_builder
            inputs: {cloud: /img}
            outputs: {costmap: /map}
          - name: p
            type: planner
            inputs: {costmap: /map}
            outputs: {cmd: /cmd}
        record: {output: a.mcap, topics: [/cmd]}
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: TestRegistry.make())
        XCTAssertEqual(report.errors.count, 1, report.formatted())
        let e = try XCTUnwrap(report.errors.first)
        XCTAssertEqual(e.location.line, 9)
        XCTAssertEqual(e.keyPath, "nodes[1].inputs.cloud")
        XCTAssertTrue(e.message.contains("Image") && e.message.contains("PointCloud"), e.message)
        XCTAssertTrue(e.message.contains("cam.color") && e.message.contains("c.cloud"), e.message)
    }

    func testTopicNobodyReadsIsOnlyAWarning() throws {
        let yaml = """
        graph: g
        nodes:
          - name: cam
            type: camera_sim
            rate: 10
            outputs: {color: /camera/color, depth: /camera/depth}
          - name: cloud
            type: depth_to_cloud
            params: {fx: 1, fy: 1, cx: 1, cy: 1}
            inputs: {depth: /camera/depth}
            outputs: {cloud: /cloud}
          - name: sink
            type: costmap_builder
            inputs: {cloud: /cloud}
            outputs: {costmap: /map}
          - name: plan
            type: planner
            inputs: {costmap: /map}
            outputs: {cmd: /cmd}
        record: {output: run.mcap, topics: [/cmd]}
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: TestRegistry.make())
        XCTAssertFalse(report.hasErrors, report.formatted())
        XCTAssertNotNil(report.graph)
        XCTAssertEqual(report.warnings.count, 1, report.formatted())
        let w = try XCTUnwrap(report.warnings.first)
        XCTAssertEqual(w.severity, .warning)
        XCTAssertEqual(w.location.line, 6)
        XCTAssertTrue(w.message.contains("'/camera/color'"), w.message)
        XCTAssertTrue(report.formatted().contains("g.yaml:6:22: warning:"), report.formatted())
    }

    func testMissingRequiredParamAndBothRateAndTrigger() throws {
        let yaml = """
        graph: g
        nodes:
          - name: cam
            type: camera_sim
            rate: 10
            trigger: input
            outputs: {depth: /d}
          - name: cloud
            type: depth_to_cloud
            params: {fx: 1, fy: 1, cx: 1}
            inputs: {depth: /d}
            outputs: {cloud: /c}
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: TestRegistry.make())
        let messages = report.errors.map(\.message)
        XCTAssertEqual(report.errors.count, 2, report.formatted())
        XCTAssertTrue(messages.contains { $0.contains("either 'rate'") && $0.contains("not both") }, "\(messages)")
        let missing = try XCTUnwrap(report.errors.first { $0.keyPath == "nodes[1].params.cy" })
        XCTAssertEqual(missing.location.line, 10)
        XCTAssertTrue(missing.message.contains("missing required param 'cy'") && missing.message.contains("double in 0.0...10000.0"), missing.message)
    }

    func testPluginNodesResolveThroughResolver() throws {
        let threshold = NodeTypeSpec(name: "threshold", ports: [.input("image", .image), .output("mask", .image)],
                                     params: [ParamSpec("level", .int, default: .int(128), min: 0, max: 255)])
        let resolver = StaticPluginResolver(
            libraries: ["/graphs/plugins/libthreshold.so": [threshold]],
            searchPath: PluginSearchPath(parsing: "/opt/horus/plugins:/usr/lib/horus"))
        let yaml = """
        graph: g
        nodes:
          - name: cam
            type: camera_sim
            rate: 10
            outputs: {color: /img}
          - name: thr
            plugin: plugins/libthreshold.so
            type: threshold
            isolate: process
            params: {level: 300}
            inputs: {image: /img}
            outputs: {mask: /mask}
          - name: missing
            plugin: libnope.so
            inputs: {image: /img}
        record: {output: r.mcap}
        """
        let spec = try GraphLoader.parse(yaml: yaml, file: "/graphs/g.yaml")
        let report = GraphValidator.validate(spec, registry: TestRegistry.make(), pluginResolver: resolver)
        XCTAssertEqual(report.errors.count, 2, report.formatted())
        XCTAssertTrue(report.errors.contains { $0.keyPath == "nodes[1].params.level" && $0.message.contains("0...255") })
        let notFound = try XCTUnwrap(report.errors.first { $0.keyPath == "nodes[2].plugin" })
        XCTAssertEqual(notFound.location.line, 15)
        XCTAssertTrue(notFound.message.contains("cannot load plugin 'libnope.so': no such library"), notFound.message)
        XCTAssertTrue(notFound.message.contains("/opt/horus/plugins/libnope.so"), notFound.message)

        // Without a resolver plugin nodes are errors, and built-ins cannot be process-isolated.
        let noResolver = GraphValidator.validate(spec, registry: TestRegistry.make())
        XCTAssertTrue(noResolver.errors.contains { $0.keyPath == "nodes[1].plugin" && $0.message.contains("no plugin loader") })
    }

    func testPluginSearchPathOrder() {
        let search = PluginSearchPath(parsing: "/a::/b")
        XCTAssertEqual(search.candidates(for: "/abs/lib.so", graphDirectory: "/g"), ["/abs/lib.so"])
        XCTAssertEqual(search.candidates(for: "./lib.so", graphDirectory: "/g"), ["/g/lib.so", "/a/lib.so", "/b/lib.so"])
        XCTAssertEqual(search.resolve("lib.so", graphDirectory: "/g", exists: { $0 == "/b/lib.so" }), "/b/lib.so")
    }

    /// Relative graph directories and search entries (`.`) are made absolute against the
    /// current directory; defaults come last; every candidate is absolute (never a bare name).
    func testPluginSearchPathRelativeEntriesAndDefaults() {
        let search = PluginSearchPath(parsing: ".:rel/dir:/abs", defaultDirectories: ["/home/u/.local/lib/horus/plugins"],
                                      currentDirectory: "/work/cwd")
        XCTAssertEqual(search.candidates(for: "libfoo.so", graphDirectory: "."),
                       ["/work/cwd/libfoo.so", "/work/cwd/rel/dir/libfoo.so", "/abs/libfoo.so",
                        "/home/u/.local/lib/horus/plugins/libfoo.so"])
        XCTAssertEqual(search.candidates(for: "./sub/libfoo.so", graphDirectory: "graphs")[0], "/work/cwd/graphs/sub/libfoo.so")
        XCTAssertTrue(search.candidates(for: "libc.so.6", graphDirectory: "").allSatisfy { $0.hasPrefix("/") })
        XCTAssertEqual(PluginSearchPath.standardDirectories(home: "/home/u", executable: "/usr/local/bin/horus-run"),
                       ["/home/u/.local/lib/horus/plugins", "/usr/local/lib/horus/plugins"])
        XCTAssertEqual(PluginSearchPath.standardDirectories(home: nil, executable: "/x/.build/debug/horus-run"),
                       ["/x/.build/debug/../lib/horus/plugins"])
    }

    func testInputTriggeredCycleIsAnError() throws {
        let yaml = """
        graph: loop
        nodes:
          - name: a
            type: downsampler
            inputs: {cloud: /b}
            outputs: {cloud: /a}
          - name: b
            type: downsampler
            inputs: {cloud: /a}
            outputs: {cloud: /b}
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: TestRegistry.make())
        XCTAssertEqual(report.errors.count, 1, report.formatted())
        XCTAssertTrue(report.errors[0].message.contains("a -> b -> a form a cycle"), report.errors[0].message)
    }

    func testRegistryRejectsUnsoundSpecsAndSuggests() {
        var registry = TestRegistry.make()
        XCTAssertThrowsError(try registry.register(TestRegistry.downsampler))
        XCTAssertThrowsError(try registry.register(NodeTypeSpec(name: "bad", params: [
            ParamSpec("x", .int, default: .double(1.5))])))
        XCTAssertEqual(registry.suggestion(for: "camera_sm"), "camera_sim")
        XCTAssertNil(registry.suggestion(for: "lidar"))
        XCTAssertEqual(NameSuggester.distance("leaf_sise", "leaf_size"), 1)
        XCTAssertEqual(NameSuggester.distance("ouptuts", "outputs"), 1)  // transposition
        XCTAssertThrowsError(try MessageTypeName(validating: "Any"))
    }
}
