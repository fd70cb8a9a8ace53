import Foundation
import HorusGraph
import HorusMemory
import HorusMessages
import HorusNodes
import HorusPlugins
import XCTest

/// Publishes an 8x6 depth image: 3 m everywhere, 0.6 m at (x 1, y 2), stamped 1000 * tick.
private final class DepthSourceNode: Node {
    var out: OutputPort<DepthImage>!
    var n: UInt64 = 0
    func configure(_ c: NodeContext) throws { out = try c.output("depth") }
    func tick(_ c: NodeContext) throws {
        n += 1
        let d = try DepthImage(height: 6, width: 8, pool: c.pool, timestampNs: 1000 * n)
        d.asTensor().withUnsafeMutableBufferPointer(as: Float.self) { p in
            for i in p.indices { p[i] = 3.0 }
            p[2 * 8 + 1] = 0.6
        }
        try out.publish(d)
    }
}

/// A Swift node reading the C plugin's struct messages.
private final class AlertReaderNode: Node, @unchecked Sendable {
    static let seen = AlertBox()
    var input: InputPort<ObstacleAlert>!
    func configure(_ c: NodeContext) throws { input = try c.input("alert") }
    func tick(_ c: NodeContext) throws { while let a = input.next() { Self.seen.append(a) } }
}

final class AlertBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ObstacleAlert] = []
    func append(_ a: ObstacleAlert) { lock.lock(); items.append(a); lock.unlock() }
    var all: [ObstacleAlert] { lock.lock(); defer { lock.unlock() }; return items }
    func clear() { lock.lock(); items = []; lock.unlock() }
}

/// Plugin ABI 1.1: plain struct messages declared by name and size.
final class StructMessageTests: XCTestCase {
    override func setUp() { usePrivateNamespace(); BuiltinNodes.registerMessageTypes(); AlertReaderNode.seen.clear() }
    override func tearDown() { restoreNamespace() }

    private var detectorSource: String {
        get throws { try String(contentsOfFile: "\(repoRoot)/Plugins/ObstacleDetector/obstacle_detector.c", encoding: .utf8) }
    }

    /// A depth source (100 Hz) and an ObstacleAlert reader, with plugin nodes loaded by dlopen.
    private func depthToAlertCatalog() throws -> NodeCatalog {
        var catalog = NodeCatalog()
        try catalog.register(NodeTypeSpec(name: "depth_source", ports: [.output("depth", .depthImage)],
                                          defaultTrigger: .periodic(hz: 100)), factory: { DepthSourceNode() })
        try catalog.register(NodeTypeSpec(name: "alert_reader", ports: [.input("alert", "ObstacleAlert")]),
                             factory: { AlertReaderNode() })
        catalog.pluginNodeFactory = { path, type in try PluginLibrary.load(path: path).makeNode(type: type) }
        return catalog
    }

    /// C plugin (obstacle_detector) -> ObstacleAlert topic -> Swift node.
    func testCPluginStructReadBySwiftNode() throws {
        let libPath = try compilePlugin(try detectorSource, name: "horus_obstacle_detector")
        let lib = try PluginLibrary.load(path: libPath)
        XCTAssertEqual(lib.nodeType("obstacle_detector")?.output("alert")?.messageType.rawValue, "ObstacleAlert")
        let catalog = try depthToAlertCatalog()
        let ns = "sm\(getpid())"
        let yaml = """
        nodes:
          - {name: depth, type: depth_source, outputs: {depth: /\(ns)/depth}}
          - name: detect
            plugin: \(libPath)
            type: obstacle_detector
            params: {alert_distance: 1.5}
            inputs: {depth: /\(ns)/depth}
            outputs: {alert: /\(ns)/alert}
          - {name: reader, type: alert_reader, inputs: {alert: /\(ns)/alert}}
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: catalog.registry,
                                             pluginResolver: StaticPluginResolver(libraries: [libPath: lib.nodeTypes]))
        let graph = try XCTUnwrap(report.graph, report.formatted())
        let runner = try GraphRunner(graph: graph, catalog: catalog, options: RunOptions(duration: 20, ticks: 3, log: { _ in }))
        try runner.run()
        XCTAssertEqual(runner.statuses.first { $0.name == "detect" }?.errors, 0, "\(runner.statuses)")
        let alerts = AlertReaderNode.seen.all
        XCTAssertEqual(alerts.count, 3, "\(alerts)")
        XCTAssertEqual(alerts.map(\.timestampNs), [1000, 2000, 3000], "the depth image's capture time")
        for a in alerts {
            XCTAssertEqual(a.distance, 0.6, accuracy: 1e-6)
            XCTAssertEqual(a.closeCount, 1)
            XCTAssertEqual(a.level, 2, "0.6 m is under half of 1.5 m")
            XCTAssertEqual(a.bearing, Float(atan2(2.5, 525.0)), accuracy: 1e-6)
        }
    }

    /// C plugin (obstacle_detector) -> ObstacleAlert -> Swift plugin (alert_filter, HorusPluginKit's
    /// takeStruct / publishStruct) -> ObstacleAlert -> Swift node; a second filter drops every alert.
    func testSwiftPluginReadsAndWritesStructs() throws {
        let detector = try compilePlugin(try detectorSource, name: "horus_obstacle_detector")
        let filter = try swiftPluginPath("libHorusAlertFilterPlugin.so")
        let filterLib = try PluginLibrary.load(path: filter)
        XCTAssertEqual(filterLib.abiMinor, 1)
        XCTAssertEqual(filterLib.nodeType("alert_filter")?.input("alert")?.messageType.rawValue, "ObstacleAlert")
        XCTAssertEqual(filterLib.nodeType("alert_filter")?.output("passed")?.messageType.rawValue, "ObstacleAlert")
        let catalog = try depthToAlertCatalog()
        let ns = "sk\(getpid())"
        let yaml = """
        nodes:
          - {name: depth, type: depth_source, outputs: {depth: /\(ns)/depth}}
          - name: detect
            plugin: \(detector)
            type: obstacle_detector
            params: {alert_distance: 1.0}
            inputs: {depth: /\(ns)/depth}
            outputs: {alert: /\(ns)/alert}
          - {name: warn, plugin: \(filter), type: alert_filter, params: {min_level: 1},
             inputs: {alert: /\(ns)/alert}, outputs: {passed: /\(ns)/warn}}
          - {name: stop_only, plugin: \(filter), type: alert_filter, params: {min_level: 2},
             inputs: {alert: /\(ns)/alert}, outputs: {passed: /\(ns)/stop}}
          - {name: reader, type: alert_reader, inputs: {alert: /\(ns)/warn}}
        outputs: [/\(ns)/stop]
        """
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: catalog.registry,
                                             pluginResolver: StaticPluginResolver(libraries: [detector: try PluginLibrary.load(path: detector).nodeTypes,
                                                                                              filter: filterLib.nodeTypes]))
        let graph = try XCTUnwrap(report.graph, report.formatted())
        let log = LogBox()
        let runner = try GraphRunner(graph: graph, catalog: catalog, options: RunOptions(duration: 20, ticks: 3, log: { log.lines.append($0) }))
        try runner.run()
        for n in ["detect", "warn", "stop_only"] {
            XCTAssertEqual(runner.statuses.first { $0.name == n }?.errors, 0, "\(n): \(runner.statuses) \(log.lines)")
        }
        let alerts = AlertReaderNode.seen.all
        XCTAssertEqual(alerts.map(\.timestampNs), [1000, 2000, 3000], "every warning passed, in order: \(log.lines)")
        for a in alerts {
            XCTAssertEqual(a.level, 1, "0.6 m is inside 1.0 m but not under 0.5 m")
            XCTAssertEqual(a.distance, 0.6, accuracy: 1e-6)
        }
        XCTAssertTrue(log.lines.contains { $0.contains("dropped 3 alerts below level 2") }, "\(log.lines)")
        XCTAssertTrue(log.lines.contains { $0.contains("dropped 0 alerts below level 1") }, "\(log.lines)")
    }

    func testStructSizeMismatchIsRefused() throws {
        let src = try detectorSource.replacingOccurrences(of: ".size = sizeof(horus_obstacle_alert_t)", with: ".size = 20")
        XCTAssertThrowsError(try PluginLibrary.load(path: try compilePlugin(src, name: "sm_size"))) { e in
            XCTAssertTrue("\(e)".contains("struct message type 'ObstacleAlert': the plugin declares 20 bytes but the host's 'ObstacleAlert' has 24 bytes"), "\(e)")
        }
    }

    func testUnknownStructIsRefused() throws {
        let src = try detectorSource.replacingOccurrences(of: "\"ObstacleAlert\"", with: "\"Detections\"")
        XCTAssertThrowsError(try PluginLibrary.load(path: try compilePlugin(src, name: "sm_unknown"))) { e in
            XCTAssertTrue("\(e)".contains("struct message type 'Detections' (24 bytes) is not known to this host"), "\(e)")
        }
    }

    func testNewerMinorIsRefusedAndStructPortNeedsABI11() throws {
        let newer = try detectorSource.replacingOccurrences(of: ".abi_version = HORUS_PLUGIN_ABI_VERSION_1_1", with: ".abi_version = 1u | (2u << 16)")
        XCTAssertThrowsError(try PluginLibrary.load(path: try compilePlugin(newer, name: "sm_minor"))) { e in
            XCTAssertTrue("\(e)".contains("plugin ABI version 1.2 is not supported: this host implements plugin ABI 1.0 to 1.1"), "\(e)")
        }
        // Declared as ABI 1.0, the struct table is not read, so the struct port is unknown.
        let old = try detectorSource.replacingOccurrences(of: ".abi_version = HORUS_PLUGIN_ABI_VERSION_1_1", with: ".abi_version = HORUS_PLUGIN_ABI_VERSION")
        XCTAssertThrowsError(try PluginLibrary.load(path: try compilePlugin(old, name: "sm_old"))) { e in
            XCTAssertTrue("\(e)".contains("port 'alert' carries 'ObstacleAlert'"), "\(e)")
        }
    }
}
