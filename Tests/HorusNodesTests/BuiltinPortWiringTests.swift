import Foundation
import HorusGraph
import HorusMemory
import HorusTopics
import XCTest
@testable import HorusNodes
#if canImport(Glibc)
import Glibc
#endif

/// Which built-in outputs may be left unwired: validation and run time agree.
final class BuiltinPortWiringTests: XCTestCase {
    override func setUp() { setenv("HORUS_NAMESPACE", "bpw\(getpid())", 1) }

    private func validate(_ yaml: String) throws -> ValidationReport {
        GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: try BuiltinNodes.catalog().registry)
    }

    /// camera_sim with only `color` wired validates without warnings and runs (depth unwired).
    func testCameraSimRunsWithDepthUnwired() throws {
        let topic = "/bpw\(getpid())/color"
        let report = try validate("""
        graph: color_only
        nodes:
          - name: camera
            type: camera_sim
            rate: 100
            params: {width: 32, height: 24}
            outputs: {color: \(topic)}
        outputs: [\(topic)]
        """)
        XCTAssertFalse(report.hasErrors, report.formatted())
        XCTAssertTrue(report.warnings.isEmpty, report.formatted())
        let graph = try XCTUnwrap(report.graph)
        let images = try Subscriber<Image>(topic: topic, capacity: 8)
        let runner = try GraphRunner(graph: graph, catalog: try BuiltinNodes.catalog(),
                                     options: RunOptions(duration: 20, ticks: 3, log: { _ in }))
        try runner.run()
        var count = 0
        while let img = images.tryReceive() { XCTAssertEqual(img.width, 32); count += 1 }
        XCTAssertEqual(count, 3)
        XCTAssertEqual(runner.statuses.first?.errors, 0)
    }

    /// A node whose only output is required reports it at validation, naming the port.
    func testRequiredOutputUnwiredIsAValidationError() throws {
        let report = try validate("""
        graph: g
        nodes:
          - name: camera
            type: camera_sim
            rate: 10
            outputs: {depth: /depth}
          - name: cloud
            type: depth_to_cloud
            inputs: {depth: /depth}
        """)
        let e = try XCTUnwrap(report.errors.first { $0.keyPath == "nodes[1].outputs.cloud" }, report.formatted())
        XCTAssertTrue(e.message.contains("required output 'cloud' (PointCloud) of type depth_to_cloud is not wired"), e.message)
        XCTAssertEqual(e.location.line, 7, "reported at the node entry (no outputs key)")
    }
}
