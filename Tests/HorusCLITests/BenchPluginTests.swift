import Foundation
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench plugins --plugin LIB --type T`: times a user's node; any error exits non-zero.
final class BenchPluginTests: XCTestCase {
    private var libDir: String { builtExecutable("horus-run").deletingLastPathComponent().path }

    private func bench(_ args: [String]) throws -> RunResult {
        XCTAssertTrue(FileManager.default.fileExists(atPath: builtExecutable("horus-bench").path), "horus-bench not built")
        return try CLIProcess("horus-bench", ["plugins"] + args, namespace: uniqueNamespace("bp")).finish(timeout: 120)
    }

    func testTimesAUserNodeOnReferenceInput() throws {
        let r = try bench(["--plugin", "\(libDir)/libhorus_threshold.so", "--type", "threshold", "--param", "threshold=90",
                           "--samples", "30", "--width", "64", "--height", "48", "--json", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("threshold tick (+ input publish)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("inputs: image: rgb8 64x48"), r.stdout)
        let json = try XCTUnwrap(r.lines.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }, r.stdout)
        XCTAssertEqual(json["bench"] as? String, "plugins")
        // A struct-output plugin (ABI 1.1) on a depth image.
        let s = try bench(["--plugin", "\(libDir)/libhorus_obstacledetector.so", "--type", "obstacle_detector",
                           "--samples", "20", "--width", "32", "--height", "24", "--quiet"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stdout.contains("depth: float32 meters 32x24"), s.stdout)
    }

    func testErrorsExitNonZero() throws {
        let range = try bench(["--plugin", "\(libDir)/libhorus_threshold.so", "--type", "threshold", "--param", "threshold=300", "--quiet"])
        XCTAssertNotEqual(range.status, 0)
        XCTAssertTrue(range.stderr.contains("--param threshold=300 is out of range (expected int in 0...255)"), range.stderr)
        let type = try bench(["--plugin", "\(libDir)/libhorus_threshold.so", "--type", "treshold", "--quiet"])
        XCTAssertNotEqual(type.status, 0)
        XCTAssertTrue(type.stderr.contains("no node type 'treshold'; did you mean 'threshold'?"), type.stderr)
        let missing = try bench(["--plugin", "libnothere.so", "--type", "x", "--quiet"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("plugin 'libnothere.so': no such library (tried "), missing.stderr)
        let notBench = try bench(["--plugin", "\(libDir)/libhorus_threshold.so", "--quiet"])
        XCTAssertNotEqual(notBench.status, 0)
        XCTAssertTrue(notBench.stderr.contains("to time your node pass --type"), notBench.stderr)
    }

    /// A node whose tick fails stops the benchmark with a non-zero status naming the error.
    func testFailingTickExitsNonZero() throws {
        let lib = try compileCPlugin("""
        #include "horus_plugin.h"
        static const horus_port_def_t ports[] = {{.name = "in", .direction = HORUS_PORT_INPUT, .message_type = "Tensor"}};
        static int s;
        static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return &s; }
        static int32_t tick(void *i, const horus_host_t *h) { (void)i; h->set_error(h, "calibration missing"); return HORUS_ERR_FAILED; }
        static void destroy(void *i) { (void)i; }
        static const horus_node_type_t types[] = {{.name = "failing", .port_count = 1, .ports = ports,
          .create = create, .tick = tick, .destroy = destroy}};
        static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 1, .name = "f", .node_types = types};
        const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
        """, name: "failing")
        let r = try bench(["--plugin", lib, "--type", "failing", "--samples", "10", "--quiet"])
        XCTAssertNotEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stderr.contains("calibration missing"), r.stderr)
    }
}
