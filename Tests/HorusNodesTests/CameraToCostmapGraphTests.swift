import HorusMessages
import Foundation
import HorusGraph
import HorusMemory
import HorusTopics
import XCTest
@testable import HorusNodes
#if canImport(Glibc)
import Glibc
#endif

/// The shipped graph, run for real: the known scene gives a known map.
final class CameraToCostmapGraphTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override func setUp() { setenv("HORUS_NAMESPACE", "c2c\(getpid())", 1) }

    func testShippedGraphValidatesAndBuildsTheKnownMap() throws {
        let path = Self.repo.appendingPathComponent("graphs/camera_to_costmap.yaml").path
        let catalog = try BuiltinNodes.catalog()
        let report = GraphLoader.loadAndValidate(path: path, registry: catalog.registry)
        XCTAssertFalse(report.hasErrors, report.formatted(sourceText: nil))
        let graph = try XCTUnwrap(report.graph)
        XCTAssertEqual(graph.nodes.map(\.name), ["camera", "cloud", "downsample", "costmap"])

        let maps = try Subscriber<Costmap>(topic: "/map/costmap", capacity: 16)
        let runner = try GraphRunner(graph: graph, catalog: catalog, options: RunOptions(duration: 20, ticks: 3, log: { _ in }))
        try runner.run()
        var last: Costmap?
        var count = 0
        while let m = maps.tryReceive() { last = m; count += 1 }
        XCTAssertEqual(count, 3, "one costmap per camera frame")
        let map = try XCTUnwrap(last)
        XCTAssertEqual(map.geometry.width, 200)
        // The camera sees the boxes' front faces (CameraSimNode.demoScene): those cells are lethal.
        func strongest(nearX x: Float, y: Float) -> UInt8 {
            stride(from: x - 0.08, through: x + 0.08, by: 0.02).compactMap { map.cost(x: $0, y: y) }.max() ?? 0
        }
        XCTAssertEqual(strongest(nearX: 2.75, y: 0.8), CostmapCost.lethal)
        XCTAssertEqual(strongest(nearX: 3.6, y: -1.2), CostmapCost.lethal)
        XCTAssertEqual(strongest(nearX: 5.2, y: 0.2), CostmapCost.lethal)
        // Inflation: 0.1 m in front of a face is within the inscribed radius (0.2 m) ...
        XCTAssertGreaterThanOrEqual(map.cost(x: 2.62, y: 0.8) ?? 0, CostmapCost.inscribed)
        // ... and 0.35 m in front it has a decayed cost between free and inscribed.
        let decayed = map.cost(x: 2.38, y: 0.8) ?? 0
        XCTAssertTrue((1..<CostmapCost.inscribed).contains(decayed), "decayed cost \(decayed)")
        // Far from everything, a clear lane between the boxes is free.
        XCTAssertEqual(map.cost(x: 4.5, y: 0.0) , CostmapCost.free)
        // Ground in view, away from boxes, is free; behind the camera's view it is unknown.
        XCTAssertEqual(map.cost(x: 2.0, y: -0.3), CostmapCost.free)
        XCTAssertEqual(map.cost(x: 0.3, y: 4.5), CostmapCost.unknown)
        let lethal = map.bytes.filter { $0 == CostmapCost.lethal }.count
        XCTAssertGreaterThan(lethal, 100)
        XCTAssertLessThan(lethal, 600, "only the box footprints (about 300 cells) are lethal")
        let statuses = runner.statuses
        XCTAssertEqual(statuses.first { $0.name == "costmap" }?.messagesOut, 3)
        XCTAssertEqual(statuses.reduce(0) { $0 + $1.drops }, 0)
        XCTAssertNotNil(statuses.first { $0.name == "costmap" }?.latencyP50Ms, "end-to-end latency is measured")
    }
}
