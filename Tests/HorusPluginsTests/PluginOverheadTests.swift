import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Rough per-call costs of the adapter (printed, not asserted beyond sanity: the overhead
/// benchmark proper lives elsewhere). The plugin loops over host services inside one tick.
final class PluginOverheadTests: XCTestCase {
    override class func setUp() { usePrivateNamespace() }
    override class func tearDown() { restoreNamespace() }

    func testPerCallOverheadIsSmall() throws {
        let source = """
        #include <stdlib.h>
        #include "horus_plugin.h"
        static const horus_port_def_t ports[] = {
          {.name = "in", .direction = HORUS_PORT_INPUT, .message_type = "Tensor", .optional = 1},
        };
        typedef struct { int64_t mode; } st;
        static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return calloc(1, sizeof(st)); }
        static int32_t configure(void *i, const horus_host_t *h) { return h->param_int(h, "mode", &((st *)i)->mode); }
        static int32_t tick(void *i, const horus_host_t *h) {
          horus_message_t m; int64_t shape[1] = {64};
          switch (((st *)i)->mode) {
          case 0: return HORUS_OK;                                    /* empty tick */
          case 1: for (int k = 0; k < 1000; k++) h->take(h, 0, HORUS_TAKE_NEXT, &m); return HORUS_OK;  /* unwired take */
          case 2: for (int k = 0; k < 1000; k++) h->is_wired(h, 0); return HORUS_OK;
          default:
            for (int k = 0; k < 1000; k++) {
              if (h->alloc(h, HORUS_KIND_TENSOR, 0, HORUS_DTYPE_U8, 1, shape, &m) != HORUS_OK) return HORUS_ERR_FAILED;
              h->release(h, m.handle);
            }
            return HORUS_OK;
          }
        }
        static void destroy(void *i) { free(i); }
        static const horus_param_def_t params[] = {{.name = "mode", .type = HORUS_PARAM_INT}};
        static const horus_node_type_t types[] = {{.name = "probe", .port_count = 1, .ports = ports, .param_count = 1,
          .params = params, .create = create, .configure = configure, .tick = tick, .destroy = destroy}};
        static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 1,
          .name = "probe", .node_types = types};
        const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
        """
        let lib = try PluginLibrary.load(path: try compilePlugin(source, name: "overhead"))
        func nsPer(mode: Int, ticks: Int, callsPerTick: Int) throws -> Double {
            let node = try lib.makeNode(type: "probe")
            let ctx = try NodeContext.wired(nodeName: "probe", params: ["mode": .int(mode)], pool: try testPool(), log: { _ in })
            try node.configure(ctx)
            for _ in 0..<10 { try node.tick(ctx) }  // warm up (handle table growth)
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<ticks { try node.tick(ctx) }
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(ticks * callsPerTick)
        }
        let tick = try nsPer(mode: 0, ticks: 100_000, callsPerTick: 1)
        let take = try nsPer(mode: 1, ticks: 200, callsPerTick: 1000)
        let wired = try nsPer(mode: 2, ticks: 200, callsPerTick: 1000)
        let alloc = try nsPer(mode: 3, ticks: 50, callsPerTick: 1000)
        print(String(format: "plugin adapter per call: tick %.0f ns, take(empty) %.0f ns, is_wired %.0f ns, alloc+release 64 B tensor %.0f ns",
                     tick, take, wired, alloc))
        XCTAssertLessThan(tick, 50_000)
        XCTAssertLessThan(wired, 50_000)
    }
}
