import Foundation
import HorusTestSupport
import XCTest

/// Graphs with a `bridge:` section run by `horus-run GRAPH.yaml`, between two network namespaces
/// ("hosts") with their own HORUS_NAMESPACE: host A's graph exports its camera's depth images,
/// host B's graph imports them into a depth_to_cloud node and Python cyclonedds reads them too.
final class BridgeGraphTests: XCTestCase {
    private var runPath: String { helperExecutable("horus-run").path }

    private let exportGraph = """
    graph: cam_export
    nodes:
      - name: cam
        type: camera_sim
        rate: 10
        params: {width: 64, height: 48}
        outputs: {depth: /camera/depth}
    bridge:
      domain: 0
      export:
        - topic: /camera/depth
          qos: {reliability: reliable, depth: 16}

    """

    private let importGraph = """
    graph: cloud_import
    nodes:
      - name: cloud
        type: depth_to_cloud
        inputs: {depth: /camera/depth}
        outputs: {cloud: /cloud}
    outputs: [/cloud]
    bridge:
      import:
        - {topic: /camera/depth, type: DepthImage, qos: {depth: 16}}

    """

    private func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func bridged(_ summary: [String: Any], _ topic: String) throws -> [String: Any] {
        let topics = try XCTUnwrap(summary["bridge"] as? [[String: Any]], "\(summary)")
        return try XCTUnwrap(topics.first { $0["topic"] as? String == topic }, "\(topics)")
    }

    func testGraphExportsToDDSAndAnotherGraphImportsIntoANode() throws {
        let pair = try makeNetnsPair()
        let dir = try temporaryDirectory(self)
        let nsA = "\(pair.name)ga", nsB = "\(pair.name)gb"
        addTeardownBlock { assertNoSharedMemory([nsA, nsB]) }
        let graphA = try write(exportGraph, "export.yaml", in: dir), graphB = try write(importGraph, "import.yaml", in: dir)

        // Host B: the importing graph and a Python ROS 2 reader of the same DDS topic.
        let b = try pair.start("b", ["env", "HORUS_NAMESPACE=\(nsB)", runPath, graphB, "--json", "--status-interval", "1", "--duration", "90"])
        XCTAssertNotNil(b.waitForLine("bridge: domain 0", timeout: 30), "graph B: \(b.lines)")
        let python = try pair.start("b", ["python3", pythonPeer, "count", "--topic", "rt/camera/depth", "--count", "20", "--timeout", "60"])
        XCTAssertNotNil(python.waitForLine("ready", timeout: 30), "\(python.lines)")

        // Host A: the exporting graph, 6 s of 10 Hz depth.
        let a = try pair.start("a", ["env", "HORUS_NAMESPACE=\(nsA)", runPath, graphA, "--json", "--duration", "6"])
        XCTAssertEqual(a.finish(timeout: 60), 0, "graph A: \(a.lines.suffix(8))")
        XCTAssertEqual(python.finish(timeout: 30), 0, "python: \(python.lines.suffix(3))")
        XCTAssertTrue(waitUntil(10) { b.lines.contains { $0.hasPrefix("bridge: import /camera/depth [DepthImage]") && !$0.contains("msgs=0 ") } },
                      "graph B's status shows the imported topic: \(b.lines.suffix(6))")
        // Stop B once its import count stood still for 2 s: what the bridge imports after the graph's
        // nodes stopped (its final drain) would never reach depth_to_cloud.
        let importCounts = { b.lines.filter { $0.hasPrefix("bridge: import /camera/depth") }.compactMap { numberField("msgs", $0) } }
        XCTAssertTrue(waitUntil(15) { importCounts().count >= 3 && Set(importCounts().suffix(3)).count == 1 }, "\(importCounts())")
        b.finish(timeout: 0)  // SIGTERM: the graph and its bridge stop and print the summary

        // A: the bridge started before the camera, so it sent every frame the camera published.
        let sumA = try jsonObject(a.lines)
        let cam = try summaryNode(sumA, "cam"), exported = try bridged(sumA, "/camera/depth")
        let frames = try XCTUnwrap(cam["messagesOut"] as? Int)
        XCTAssertGreaterThanOrEqual(frames, 40)
        XCTAssertEqual(exported["direction"] as? String, "export")
        XCTAssertEqual(exported["type"] as? String, "DepthImage")
        XCTAssertEqual(exported["ddsType"] as? String, "sensor_msgs::msg::dds_::Image_")
        XCTAssertEqual(exported["messages"] as? Int, frames, "\(exported)")
        XCTAssertEqual(exported["drops"] as? Int, 0)
        XCTAssertNil(exported["lastError"])
        XCTAssertTrue(a.lines.contains { $0.hasPrefix("/camera/depth") && $0.contains("export") && $0.contains("DepthImage") },
                      "the summary table has the bridged topic: \(a.lines.suffix(8))")

        // B: what arrived was published into horus and every sample reached the node.
        let sumB = try jsonObject(b.lines)
        let imported = try bridged(sumB, "/camera/depth"), cloud = try summaryNode(sumB, "cloud")
        let received = try XCTUnwrap(imported["messages"] as? Int)
        XCTAssertEqual(imported["direction"] as? String, "import")
        XCTAssertGreaterThanOrEqual(received, frames - 20, "all but the frames sent before discovery matched (2 s): \(imported)")
        XCTAssertLessThanOrEqual(received, frames)
        XCTAssertEqual(imported["drops"] as? Int, 0)
        XCTAssertEqual(imported["undecodable"] as? Int, 0)
        let sampleBytes = try XCTUnwrap(exported["bytes"] as? Int) / max(frames, 1)
        XCTAssertGreaterThan(sampleBytes, 12_288, "CDR of a 64x48 float image")
        XCTAssertEqual(imported["bytes"] as? Int, received * sampleBytes, "the same CDR sizes arrived")
        XCTAssertEqual(cloud["messagesIn"] as? Int, received, "depth_to_cloud got every imported image: \(cloud)")
        XCTAssertEqual(cloud["messagesOut"] as? Int, received)

        // Python read them as sensor_msgs/msg/Image with the camera's geometry.
        let images = python.lines.filter { $0.hasPrefix("image ") }
        XCTAssertEqual(images.count, 20, "\(python.lines.suffix(3))")
        XCTAssertTrue(images.allSatisfy { $0.hasSuffix(" 64x48 32FC1 256 12288") }, "\(images.prefix(3))")
    }

    func testCheckNeedsNoDDSAndRunFailsBeforeStartWithoutTheLibrary() throws {
        let dir = try temporaryDirectory(self)
        let ns = "hbg\(getpid())"
        addTeardownBlock { assertNoSharedMemory([ns]) }
        let graph = try write(exportGraph, "export.yaml", in: dir)
        let env = ["HORUS_NAMESPACE=\(ns)", "HORUS_DDS_LIBRARY=/nonexistent/libhorus_dds.so"]
        let check = try NetnsProcess("/usr/bin/env", env + [runPath, "check", graph])
        XCTAssertEqual(check.finish(timeout: 30), 0, "\(check.lines)")
        XCTAssertEqual(check.lines, ["\(graph): OK (1 node, 1 topic)"])

        let run = try NetnsProcess("/usr/bin/env", env + [runPath, graph, "--duration", "5"])
        XCTAssertEqual(run.finish(timeout: 30), 1)
        XCTAssertEqual(run.lines, ["DDS bridge: libhorus_dds.so not found (looked at /nonexistent/libhorus_dds.so): build it with `swift build -c release --product horus_dds` (needs apt-get install cyclonedds-dev)"],
                       "one line, and nothing started")
        // Built, but Cyclone DDS (libddsc) is not installed: the line names the Debian package.
        let lib = try libraryWithoutLibddsc(in: dir)
        let noCyclone = try NetnsProcess("/usr/bin/env", ["HORUS_NAMESPACE=\(ns)", "HORUS_DDS_LIBRARY=\(lib.path)", runPath, graph, "--duration", "5"])
        XCTAssertEqual(noCyclone.finish(timeout: 30), 1)
        XCTAssertEqual(noCyclone.lines, ["DDS bridge: Cyclone DDS is not installed (\(lib.path) needs libddsc): apt-get install libddsc0debian"])

        // The real mapping table (HorusBridge) is what check validates against.
        let bad = try write(exportGraph.replacingOccurrences(of: "outputs: {depth: /camera/depth}", with: "outputs: {depth: /camera/depth, pose: /pose}")
                            + "    - /pose\n    - /camera/dpth\n", "bad.yaml", in: dir)
        let checkBad = try NetnsProcess("/usr/bin/env", env + [runPath, "check", bad])
        XCTAssertEqual(checkBad.finish(timeout: 30), 1)
        XCTAssertTrue(checkBad.lines.contains("\(bad):14:7: error: bridge: export '/camera/dpth' is not published by any node of the graph; did you mean '/camera/depth'?"),
                      "\(checkBad.lines)")
        XCTAssertEqual(checkBad.lines.last, "\(bad): 1 error")
    }
}
