import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// End-to-end tests of the horus-run binary. Graphs use the CLI's test node types
/// (`cli_test_source/relay/sink/fail`, a plugin compiled from Fixtures/cli_test_nodes.c and
/// preloaded with HORUS_PLUGINS by CLIProcess) so they do not depend on the built-in nodes.
final class HorusCLITests: XCTestCase {
    func testCheckReportsEveryMistakeWithLocationAndCreatesNoSharedMemory() throws {
        let ns = uniqueNamespace("chk")
        let path = try writeGraph("bad.yaml", """
        graph: bad
        nodes:
          - name: src
            type: cli_test_sorce
            rate: 100
            outputs: {out: /bad/images}
          - name: sink
            type: cli_test_sink
            params: {colour: red}
            inputs: {in: /bad/images}
          - name: sink
            type: cli_test_sink
            inputs: {in: /bad/nothing}
        """)
        for args in [["check", path], [path], ["run", path, "--duration", "5"]] {
            let r = try horusRun(args, namespace: ns)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("\(path):4:11: error:"), r.stderr)
            XCTAssertTrue(r.stderr.contains("did you mean 'cli_test_source'?"), r.stderr)
            XCTAssertTrue(r.stderr.contains("\(path):9:14: error:"), r.stderr)
            XCTAssertTrue(r.stderr.contains("\(path):11:11: error:"), r.stderr)
            XCTAssertTrue(r.stderr.contains("        type: cli_test_sorce\n"), "source snippet: \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("5 errors"), r.stderr)
            XCTAssertEqual(shmFiles(namespace: ns), [], "no shared memory for an invalid graph (\(args))")
        }
        let r = try horusRun(["check", path], namespace: ns)
        XCTAssertTrue(r.stdout.contains("bad.yaml: 5 errors"), r.stdout)
    }

    func testCheckAcceptsGoodGraph() throws {
        let ns = uniqueNamespace("ok")
        let path = try writeGraph("good.yaml", cliTestGraph(ns))
        let r = try horusRun(["check", path], namespace: ns)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.lines.last, "\(path): OK (3 nodes, 2 topics)")
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testGraphDotHasEdgesAndTextListing() throws {
        let ns = uniqueNamespace("dot")
        let path = try writeGraph("dot.yaml", cliTestGraph(ns))
        let dot = try horusRun(["graph", path, "--dot"], namespace: ns)
        XCTAssertEqual(dot.status, 0, dot.stderr)
        XCTAssertTrue(dot.stdout.hasPrefix("digraph \"demo\" {"), dot.stdout)
        XCTAssertTrue(dot.stdout.contains("\"node:src\" -> \"topic:/\(ns)/images\" [label=\"out: Image\"];"), dot.stdout)
        XCTAssertTrue(dot.stdout.contains("\"topic:/\(ns)/images\" -> \"node:relay\" [label=\"in: Image\"];"), dot.stdout)
        XCTAssertTrue(dot.stdout.contains("\"topic:/\(ns)/relayed\" -> \"node:sink\""), dot.stdout)
        let text = try horusRun(["graph", path], namespace: ns)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("src [cli_test_source] rate 100.0 Hz"), text.stdout)
        XCTAssertTrue(text.stdout.contains("in  in <- /\(ns)/images : Image"), text.stdout)
        XCTAssertTrue(text.stdout.contains("/\(ns)/relayed : Image  pub: relay.out  sub: sink.in"), text.stdout)
    }

    func testHelpOfEverySubcommandMentionsItsOptions() throws {
        let ns = uniqueNamespace("help")
        let expected: [String: [String]] = [
            "run": ["--duration", "--ticks", "--quiet", "--json", "--status-interval"],
            "check": ["<graph>"],
            "graph": ["--dot"],
            "topics": ["--json", "--sample"],
            "echo": ["<topic>", "--count"],
            "hz": ["<topic>", "--window"],
        ]
        for (cmd, options) in expected {
            let r = try horusRun([cmd, "--help"], namespace: ns)
            XCTAssertEqual(r.status, 0, "\(cmd): \(r.stderr)")
            for o in options { XCTAssertTrue(r.stdout.contains(o), "\(cmd) --help lacks \(o):\n\(r.stdout)") }
        }
        let top = try horusRun(["--help"], namespace: ns)
        for cmd in expected.keys { XCTAssertTrue(top.stdout.contains(cmd), top.stdout) }
    }

    func testRunWithTicksPrintsJSONSummaryAndCleansUp() throws {
        let ns = uniqueNamespace("run")
        let path = try writeGraph("run.yaml", cliTestGraph(ns))
        let r = try horusRun([path, "--ticks", "30", "--json", "--quiet"], namespace: ns)
        XCTAssertEqual(r.status, 0, r.stderr)
        let last = try XCTUnwrap(r.lines.last)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], last)
        XCTAssertEqual(obj["graph"] as? String, "demo")
        XCTAssertEqual(obj["sinks"] as? [String], ["sink"])
        let nodes = try XCTUnwrap(obj["nodes"] as? [[String: Any]])
        XCTAssertEqual(nodes.map { $0["name"] as? String }, ["src", "relay", "sink"])
        XCTAssertEqual(nodes[0]["ticks"] as? Int, 30)
        XCTAssertEqual(nodes[2]["messagesIn"] as? Int, 30, "the sink got every image")
        XCTAssertEqual(shmFiles(namespace: ns), [], "topics and pool removed at exit")
    }

    func testRunTableSummaryShowsEndToEndLatency() throws {
        let ns = uniqueNamespace("tbl")
        let path = try writeGraph("tbl.yaml", cliTestGraph(ns))
        let r = try horusRun(["run", path, "--duration", "1"], namespace: ns)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("misses"), r.stdout)
        XCTAssertTrue(r.stdout.contains("end-to-end latency sink"), r.stdout)
        XCTAssertTrue(r.stderr.contains("running demo: 3 nodes, 2 topics"), r.stderr)
    }

    func testNodeFailingToConfigureExitsNonZero() throws {
        let ns = uniqueNamespace("fail")
        let path = try writeGraph("fail.yaml", """
        nodes:
          - {name: src, type: cli_test_source, rate: 10, outputs: {out: /\(ns)/a}}
          - {name: bad, type: cli_test_fail, inputs: {in: /\(ns)/a}}
        """)
        let r = try horusRun([path, "--duration", "5"], namespace: ns)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("node 'bad' failed in configure"), r.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testSIGINTStopsCleanlyWithSummary() throws {
        let ns = uniqueNamespace("int")
        let path = try writeGraph("int.yaml", cliTestGraph(ns))
        let p = try CLIProcess("horus-run", [path, "--status-interval", "0.2"], namespace: ns)
        XCTAssertTrue(p.waitFor("[horus-run t="), "status lines on a non-terminal stderr: \(p.stderrText)")
        XCTAssertFalse(shmFiles(namespace: ns).isEmpty, "running graph has its topics")
        p.signal(SIGINT)
        let r = p.finish(timeout: 20)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("(interrupted)"), r.stdout)
        XCTAssertEqual(shmFiles(namespace: ns), [], "normal exit ran the cleanup")
    }

    /// topics, echo and hz against a graph running in another horus-run process.
    func testTopicsEchoAndHzAgainstRunningGraph() throws {
        let ns = uniqueNamespace("live")
        let path = try writeGraph("live.yaml", cliTestGraph(ns))
        let graph = try CLIProcess("horus-run", [path, "--duration", "30", "--quiet"], namespace: ns)
        defer { graph.signal(SIGINT); _ = graph.finish(timeout: 20) }
        let end = Date().addingTimeInterval(20)
        while shmFiles(namespace: ns).filter({ $0.contains("-topic-") }).count < 2 && Date() < end { usleep(20_000) }
        XCTAssertEqual(shmFiles(namespace: ns).filter { $0.contains("-topic-") }.count, 2, graph.stderrText)
        usleep(300_000)

        let topics = try horusRun(["topics", "--json"], namespace: ns)
        XCTAssertEqual(topics.status, 0, topics.stderr)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(topics.stdout.utf8)) as? [[String: Any]], topics.stdout)
        let images = try XCTUnwrap(list.first { $0["topic"] as? String == "/\(ns)/images" }, topics.stdout)
        XCTAssertEqual(images["type"] as? String, "Image")
        XCTAssertEqual(images["publishers"] as? Int, 1)
        XCTAssertEqual(images["subscribers"] as? Int, 1)
        XCTAssertEqual(images["pids"] as? [Int], [Int(graph.process.processIdentifier)])
        let rate = try XCTUnwrap(images["rateHz"] as? Double)
        XCTAssertGreaterThan(rate, 50, "about 100 Hz")
        XCTAssertLessThan(rate, 150)
        let table = try horusRun(["topics"], namespace: ns)
        XCTAssertTrue(table.stdout.contains("/\(ns)/relayed"), table.stdout)

        let echo = try horusRun(["echo", "/\(ns)/images", "--count", "3", "--timeout", "10"], namespace: ns)
        XCTAssertEqual(echo.status, 0, echo.stderr)
        XCTAssertEqual(echo.lines.count, 3, echo.stdout)
        for line in echo.lines {
            XCTAssertTrue(line.hasPrefix("Image 8x16 rgb8 frame=cli t="), line)
            XCTAssertTrue(line.contains(" mean="), line)
        }

        let hz = try horusRun(["hz", "/\(ns)/relayed", "--duration", "2.5", "--window", "2"], namespace: ns)
        XCTAssertEqual(hz.status, 0, hz.stderr)
        XCTAssertGreaterThanOrEqual(hz.lines.count, 2, hz.stdout)
        let last = try XCTUnwrap(hz.lines.last)
        XCTAssertTrue(last.hasPrefix("rate "), last)
        let hzValue = Double(last.split(separator: " ")[1]) ?? 0
        XCTAssertGreaterThan(hzValue, 50, last)
        XCTAssertLessThan(hzValue, 150, last)
        XCTAssertTrue(last.contains("jitter"), last)

        let missing = try horusRun(["echo", "/\(ns)/nope", "--count", "1"], namespace: ns)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no live topic '/\(ns)/nope'"), missing.stderr)
    }

    func testTopicsWithNothingRunning() throws {
        let ns = uniqueNamespace("none")
        let r = try horusRun(["topics"], namespace: ns)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("no live topics in namespace \(ns)"), r.stdout)
    }

    /// Active once the built-in nodes (camera_sim, depth_to_cloud, downsampler,
    /// costmap_builder) are in `BuiltinNodes.catalog()`; until then it is skipped, loudly.
    func testCameraToCostmapWithBuiltinNodes() throws {
        let ns = uniqueNamespace("cam")
        let path = try writeGraph("camera_to_costmap.yaml", """
        graph: camera_to_costmap
        nodes:
          - {name: camera, type: camera_sim, rate: 30, outputs: {depth: /\(ns)/depth}}
          - {name: cloud, type: depth_to_cloud, inputs: {depth: /\(ns)/depth}, outputs: {cloud: /\(ns)/cloud}}
          - {name: down, type: downsampler, inputs: {cloud: /\(ns)/cloud}, outputs: {cloud: /\(ns)/cloud_ds}}
          - {name: costmap, type: costmap_builder, inputs: {cloud: /\(ns)/cloud_ds}, outputs: {costmap: /\(ns)/costmap}}
        """)
        let check = try horusRun(["check", path], namespace: ns)
        if check.stderr.contains("unknown node type 'camera_sim'") {
            throw XCTSkip("built-in nodes are not in BuiltinNodes.catalog() on this branch yet")
        }
        XCTAssertEqual(check.status, 0, check.stderr)
        let r = try horusRun([path, "--duration", "2", "--json", "--quiet"], namespace: ns)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }
}
