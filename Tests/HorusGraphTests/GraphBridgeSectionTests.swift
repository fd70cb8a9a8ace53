import HorusGraph
import XCTest

/// The `bridge:` section: parsed with locations, checked with the rest of the graph (every
/// error at once, file:line:column and key path), and resolved into `ValidatedGraph.bridge`.
final class GraphBridgeSectionTests: XCTestCase {
    /// What horus-run injects from HorusBridge (the types with a ROS 2 codec, ROS 2 name rules).
    private let rules = BridgeRules(bridgeableTypes: ["Costmap", "DepthImage", "Image", "PointCloud", "Pose"],
                                    topicNameProblem: { $0.contains("-") || $0.contains(".") ? "not a ROS 2 name" : nil })

    private func validate(_ bridge: String, rules: BridgeRules? = nil) throws -> ValidationReport {
        GraphValidator.validate(try GraphLoader.parse(yaml: nodes + bridge, file: "g.yaml"), registry: TestRegistry.make(),
                                bridgeRules: rules ?? self.rules)
    }

    /// Lines 1...10; the bridge section starts on line 11.
    private let nodes = """
    graph: g
    nodes:
      - name: cam
        type: camera_sim
        rate: 10
        outputs: {color: /color, depth: /depth}
      - name: plan
        type: planner
        inputs: {costmap: /map/costmap}
        outputs: {cmd: /cmd_vel}

    """

    private func errors(_ report: ValidationReport) -> [String] { report.errors.map(\.description) }

    func testAValidSectionResolvesWithDefaultsAndSilencesUnreadWarnings() throws {
        let report = try validate("""
        bridge:
          domain: 7
          export:
            - /depth
            - topic: /color
              qos: {reliability: best_effort, depth: 4, rate_limit_hz: 15}
          import:
            - topic: /map/costmap
              type: Costmap
              qos: {depth: 10}
            - {topic: /pose, type: Pose}
            - {topic: /goal, type: Pose}
        outputs: [/cmd_vel]
        """)
        XCTAssertEqual(errors(report), [])
        XCTAssertEqual(report.warnings.map(\.description), [], "exported topics are read over DDS; imports feed the planner")
        let bridge = try XCTUnwrap(report.graph?.bridge)
        XCTAssertEqual(bridge.domain, 7)
        XCTAssertEqual(bridge.exports, [
            ResolvedBridge.Topic(topic: "/depth", type: .depthImage, reliable: true, depth: 1, rateLimitHz: nil),
            ResolvedBridge.Topic(topic: "/color", type: .image, reliable: false, depth: 4, rateLimitHz: 15),
        ])
        XCTAssertEqual(bridge.imports.map(\.topic), ["/map/costmap", "/pose", "/goal"])
        XCTAssertEqual(bridge.imports[0].depth, 10)
        XCTAssertEqual(bridge.imports[2].type.rawValue, "Pose")
        XCTAssertEqual(report.graph?.topic("/map/costmap")?.publishers, [], "the bridge, not a node, publishes an imported topic")
    }

    func testWithoutASectionTheGraphHasNoBridge() throws {
        let report = try validate("outputs: [/cmd_vel, /color, /depth]\ntopics: {/map/costmap: {type: Costmap, external: true}}\n")
        XCTAssertNil(report.graph?.bridge)
    }

    func testDomainAndQoSBounds() throws {
        let report = try validate("""
        bridge:
          domain: 233
          export:
            - topic: /depth
              qos: {reliability: reliabel, depth: 0, rate_limit_hz: 0}
            - topic: /color
              qos: {reliability: 1, depth: 10001, rate_limit_hz: 100001}
          import:
            - topic: /map/costmap
              type: Costmap
              qos: {rate_limit_hz: 5}
        """)
        XCTAssertEqual(errors(report), [
            "g.yaml:12:11: error: bridge: 'domain' (the DDS domain id) must be in 0...232, got 233",
            "g.yaml:15:26: error: bridge: export[0]: 'qos.reliability' must be reliable or best_effort, got string \"reliabel\"; did you mean 'reliable'?",
            "g.yaml:15:43: error: bridge: export[0]: 'qos.depth' must be in 1...10000, got 0",
            "g.yaml:15:61: error: bridge: export[0]: 'qos.rate_limit_hz' must be a number > 0 and <= 100000, got int 0",
            "g.yaml:17:26: error: bridge: export[1]: 'qos.reliability' must be reliable or best_effort, got int 1",
            "g.yaml:17:36: error: bridge: export[1]: 'qos.depth' must be in 1...10000, got 10001",
            "g.yaml:17:58: error: bridge: export[1]: 'qos.rate_limit_hz' must be a number > 0 and <= 100000, got int 100001",
            "g.yaml:21:28: error: bridge: import '/map/costmap': 'rate_limit_hz' applies to exports only",
        ])
        XCTAssertEqual(report.errors.first?.keyPath, "bridge.domain")
        XCTAssertEqual(report.errors[2].keyPath, "bridge.export[0].qos.depth")
    }

    func testUnknownKeysAreErrorsWithSuggestions() throws {
        let report = try validate("""
        bridge:
          domian: 1
          exports: [/depth]
          export:
            - {topc: /depth}
            - {topic: /color, type: Image, qos: {dpth: 2}}
          import:
            - {topic: /pose, typ: Pose}
            - {topic: /map/costmap, type: Costmap}
        """)
        XCTAssertEqual(errors(report), [
            "g.yaml:12:3: error: bridge: unknown bridge key 'domian'; did you mean 'domain'?",
            "g.yaml:13:3: error: bridge: unknown bridge key 'exports'; did you mean 'export'?",
            "g.yaml:15:8: error: bridge: export[0]: unknown export key 'topc'; did you mean 'topic'?",
            "g.yaml:15:7: error: bridge: export[0]: missing 'topic'",
            "g.yaml:16:23: error: bridge: export[1]: an export takes no 'type' (it is the type its publishers carry)",
            "g.yaml:16:42: error: bridge: export[1]: unknown qos key 'dpth'; did you mean 'depth'?",
            "g.yaml:18:22: error: bridge: import[0]: unknown import key 'typ'; did you mean 'type'?",
            "g.yaml:18:7: error: bridge: import '/pose': missing 'type' (the horus type the samples become, e.g. Costmap)",
        ].sorted(by: Self.byLocation))
    }

    func testExportsMustBePublishedAndBridgeable() throws {
        let report = try validate("""
        bridge:
          export: [/deph, /cmd_vel, /map/costmap, /a-b]
          import:
            - {topic: /map/costmap, type: Costmap}
        """)
        XCTAssertEqual(errors(report), [
            "g.yaml:12:12: error: bridge: export '/deph' is not published by any node of the graph; did you mean '/depth'?",
            "g.yaml:12:19: error: bridge: export '/cmd_vel' carries 'Twist', which has no ROS 2 mapping (bridgeable: Costmap, DepthImage, Image, PointCloud, Pose)",
            "g.yaml:12:29: error: bridge: export '/map/costmap' is not published by any node of the graph",
            "g.yaml:12:43: error: bridge: export '/a-b': not a ROS 2 name",
            "g.yaml:14:15: error: bridge: topic '/map/costmap' is both imported and exported (it would be sent back to where it came from); first at bridge.export[2] (line 12)",
        ])
        XCTAssertEqual(report.errors[1].keyPath, "bridge.export[1].topic")
    }

    func testImportsNeedABridgeableTypeNoGraphPublisherAndAgreeingSubscribers() throws {
        let report = try validate("""
        bridge:
          import:
            - {topic: /map/costmap, type: Image}
            - {topic: /pose, type: Tensor}
            - {topic: /color, type: Image}
            - {topic: /x, type: Any}
            - {topic: /pose, type: Pose}
        """)
        XCTAssertEqual(errors(report), [
            "g.yaml:9:23: error: nodes[1] (plan): message type mismatch on '/map/costmap': input plan.costmap (planner) expects Costmap but it is fed by the bridge import of rt/map/costmap (bridge.import[0], line 13), which decodes as Image",
            "g.yaml:14:28: error: bridge: import '/pose': type 'Tensor', which has no ROS 2 mapping (bridgeable: Costmap, DepthImage, Image, PointCloud, Pose)",
            "g.yaml:15:15: error: bridge: import '/color' is also published by cam.color in the graph; an imported topic must have the bridge as its only publisher",
            "g.yaml:16:25: error: bridge: import '/x': \(MessageTypeName.problem(with: "Any")!)",
            "g.yaml:17:15: error: bridge: topic '/pose' is imported twice; first at bridge.import[1] (line 14)",
        ])
    }

    func testShapesAndCheckingWithoutRules() throws {
        let shapes = try validate("bridge:\n  export: /depth\n  import: [/pose]\n")
        XCTAssertEqual(errors(shapes), [
            "g.yaml:12:11: error: bridge: 'export' must be a list of topics (e.g. [/map/costmap]), got string \"/depth\"",
            "g.yaml:13:12: error: bridge: import[0] must be a mapping with 'topic' and 'type', got string \"/pose\"",
            "g.yaml:9:23: error: nodes[1] (plan): input 'costmap' subscribes to '/map/costmap', which no node publishes",
        ].sorted(by: Self.byLocation))
        // No rules injected (a library user without HorusBridge): the mapping check is skipped, the rest stays.
        let unchecked = GraphValidator.validate(try GraphLoader.parse(yaml: nodes + "bridge: {export: [/cmd_vel, /nope], import: [{topic: /map/costmap, type: Costmap}]}\noutputs: [/color, /depth]\n", file: "g.yaml"),
                                                registry: TestRegistry.make())
        XCTAssertEqual(errors(unchecked), ["g.yaml:11:29: error: bridge: export '/nope' is not published by any node of the graph"])
    }

    private static func byLocation(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> (Int, Int) {
            let p = s.split(separator: ":")
            return (Int(p[1])!, Int(p[2])!)
        }
        return key(a) < key(b)
    }
}
