import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A plugin that allocates a message every tick and never releases it.
private let leakySource = """
#include <stdlib.h>
#include "horus_plugin.h"
static const horus_port_def_t ports[] = {{.name = "out", .direction = HORUS_PORT_OUTPUT, .message_type = "Tensor"}};
static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return malloc(1); }
static int32_t tick(void *i, const horus_host_t *h) {
  (void)i; horus_message_t m; int64_t shape[1] = {100};
  return h->alloc(h, HORUS_KIND_TENSOR, 0, HORUS_DTYPE_U8, 1, shape, &m);  /* never released */
}
static void destroy(void *i) { free(i); }
static const horus_node_type_t types[] = {{.name = "leaky", .port_count = 1, .ports = ports,
  .default_rate_hz = 200, .create = create, .tick = tick, .destroy = destroy}};
static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 1,
  .name = "leaky", .node_types = types};
const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
"""

/// Allocates a small tensor every tick and drops it (holds nothing across ticks).
private final class VictimNode: Node {
    func configure(_ c: NodeContext) throws {}
    func tick(_ c: NodeContext) throws { _ = try Tensor(shape: [16], pool: c.pool) }
}

final class PoolPressureTests: XCTestCase {
    override func setUp() { usePrivateNamespace() }
    override func tearDown() { restoreNamespace() }

    private func smallPool(_ tag: String) throws -> Pool {
        try Pool.open(name: "pp\(tag)\(getpid())", configuration: PoolConfiguration(classes: [.init(slotSize: 4096, slotCount: 8)]))
    }

    /// max_held stops a leaking node by name before it takes the pool.
    func testMaxHeldStopsALeakyNodeByName() throws {
        let lib = try PluginLibrary.load(path: try compilePlugin(leakySource, name: "leaky_cap"))
        let pool = try smallPool("cap")
        let gauge = HeldMessageCensus.Gauge(limit: 5)
        do {
            let node = try lib.makeNode(type: "leaky")
            let context = try NodeContext.wired(nodeName: "leaker", pool: pool, log: { _ in }, heldMessages: gauge)
            try node.configure(context)
            for _ in 0..<5 { try node.tick(context) }
            XCTAssertEqual(gauge.count, 5)
            XCTAssertThrowsError(try node.tick(context)) { error in
                XCTAssertTrue("\(error)".contains("node 'leaker' holds 5 messages (max_held: 5)"), "\(error)")
            }
            XCTAssertEqual(pool.slotsInUse, 5, "the cap kept 3 slots free for the rest of the graph")
        }
        XCTAssertEqual(gauge.count, 0, "handles released on destroy")
        XCTAssertEqual(pool.slotsInUse, 0)
    }

    /// When the pool runs out anyway (a generous max_held), the error of the node that could
    /// not allocate names the node holding the slots.
    func testPoolExhaustionNamesTheHolder() throws {
        let libPath = try compilePlugin(leakySource, name: "leaky_pool")
        let lib = try PluginLibrary.load(path: libPath)
        let pool = try smallPool("ex")
        var catalog = NodeCatalog()
        try catalog.register(NodeTypeSpec(name: "victim", defaultTrigger: .periodic(hz: 200)), factory: { VictimNode() })
        catalog.pluginNodeFactory = { path, type in try PluginLibrary.load(path: path).makeNode(type: type) }
        let yaml = """
        nodes:
          - {name: leaker, plugin: \(libPath), type: leaky, max_held: 100}
          - {name: camera, type: victim}
        """
        let resolver = StaticPluginResolver(libraries: [libPath: lib.nodeTypes])
        let report = GraphValidator.validate(try GraphLoader.parse(yaml: yaml, file: "g.yaml"), registry: catalog.registry,
                                             pluginResolver: resolver)
        let graph = try XCTUnwrap(report.graph, report.formatted())
        XCTAssertEqual(graph.nodes.first { $0.name == "leaker" }?.maxHeld, 100)
        let runner = try GraphRunner(graph: graph, catalog: catalog,
                                     options: RunOptions(duration: 20, ticks: 30, poolName: pool.name, log: { _ in }))
        try runner.run()
        let camera = try XCTUnwrap(runner.statuses.first { $0.name == "camera" })
        XCTAssertGreaterThan(camera.errors, 0)
        let text = camera.lastError ?? ""
        XCTAssertTrue(text.contains("exhausted"), text)
        XCTAssertTrue(text.contains("most messages held by: node 'leaker' ("), text)
        XCTAssertTrue(text.contains(" of max_held 100)"), text)
        XCTAssertFalse(text.contains("node 'camera' ("), "the victim holds nothing: \(text)")
    }

    func testMaxHeldIsValidated() throws {
        let reg = try NodeTypeRegistry([NodeTypeSpec(name: "src", defaultTrigger: .periodic(hz: 1))])
        for (value, message) in [("0", "'max_held' must be in 1...4096, got 0"), ("5000", "'max_held' must be in 1...4096, got 5000"), ("lots", "'max_held' must be an integer")] {
            let spec = try GraphLoader.parse(yaml: "nodes:\n  - {name: s, type: src, max_held: \(value)}\n", file: "g.yaml")
            let report = GraphValidator.validate(spec, registry: reg)
            XCTAssertTrue(report.errors.contains { $0.keyPath == "nodes[0].max_held" && $0.message.contains(message) }, report.formatted())
        }
    }
}
