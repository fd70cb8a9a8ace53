import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import HorusTopics
import XCTest

final class PluginNodeTests: XCTestCase {
    override class func setUp() { usePrivateNamespace() }
    override class func tearDown() { restoreNamespace() }

    /// C threshold plugin: rgb8 in, mono8 out, on pool-backed images through real topics.
    func testThresholdPluginTicksOnPoolImages() throws {
        let lib = try PluginLibrary.load(path: thresholdPluginPath)
        let h = try PluginHarness(library: lib, type: "threshold", params: ["threshold": .int(100)], tag: "thr")
        let feed = try Publisher<Image>(topic: h.topic("image"))
        let result = try Subscriber<Image>(topic: h.topic("mask"))
        try h.node.configure(h.context)
        try h.node.start(h.context)

        // Nothing waiting: the tick publishes nothing.
        try h.node.tick(h.context)
        XCTAssertNil(result.tryReceive())

        // 2 x 2 rgb8: luma = (77 R + 150 G + 29 B) >> 8
        //   white (255,255,255) -> 255 > 100 -> 255     black -> 0 -> 0
        //   (200,0,0) -> 15400 >> 8 = 60 -> 0            (0,200,0) -> 30000 >> 8 = 117 -> 255
        var img = try Image(height: 2, width: 2, encoding: .rgb8, copying: [UInt8]([255, 255, 255, 0, 0, 0, 200, 0, 0, 0, 200, 0]),
                            pool: h.context.pool)
        img.timestampNs = 123_456
        img.frameID = "cam0"
        try feed.publish(img)
        try h.node.tick(h.context)

        let mask = try XCTUnwrap(result.tryReceive())
        XCTAssertEqual(mask.encoding, .mono8)
        XCTAssertEqual([mask.height, mask.width], [2, 2])
        XCTAssertEqual(Array(mask.bytes), [255, 0, 0, 255])
        XCTAssertEqual(mask.timestampNs, 123_456)
        XCTAssertEqual(mask.frameID, "cam0")
        XCTAssertEqual(mask.descriptor().raw.pool_id, h.context.pool.id, "output comes from the graph's pool")
        XCTAssertEqual(h.node.heldHandleCount, 0, "the plugin released every handle")

        // The input was read in place: the plugin saw the publisher's slot (zero-copy).
        XCTAssertEqual(h.context.anyInput("image")?.takenCount, 1)

        h.node.stop(h.context)
        XCTAssertTrue(h.logLines.contains("[thr] thresholded 1 frames"), "\(h.logLines)")
    }

    func testThresholdInvertOnMono8() throws {
        let lib = try PluginLibrary.load(path: thresholdPluginPath)
        let h = try PluginHarness(library: lib, type: "threshold", params: ["threshold": .int(10), "invert": .bool(true)], tag: "inv")
        let feed = try Publisher<Image>(topic: h.topic("image"))
        let result = try Subscriber<Image>(topic: h.topic("mask"))
        try h.node.configure(h.context)
        try feed.publish(try Image(height: 1, width: 4, encoding: .mono8, copying: [UInt8]([0, 10, 11, 250]), pool: h.context.pool))
        try h.node.tick(h.context)
        XCTAssertEqual(Array(try XCTUnwrap(result.tryReceive()).bytes), [255, 255, 0, 0])
    }

    /// Swift edge_detect plugin (SwiftPM dynamic library) through the same adapter.
    func testSwiftEdgeDetectPlugin() throws {
        let lib = try PluginLibrary.load(path: try edgeDetectPluginPath())
        XCTAssertEqual(lib.name, "edge_detect_plugin")
        let spec = try XCTUnwrap(lib.nodeType("edge_detect"))
        XCTAssertEqual(spec.ports.map(\.name), ["image", "edges"])
        XCTAssertEqual(spec.params, [ParamSpec("scale", .double, default: .double(1.0), min: 0, max: 16,
                                               doc: "gain applied to |Gx| + |Gy| before clamping to 255")])
        XCTAssertEqual(spec.defaultTrigger, .input("image"))

        let h = try PluginHarness(library: lib, type: "edge_detect", tag: "edge")
        let feed = try Publisher<Image>(topic: h.topic("image"))
        let result = try Subscriber<Image>(topic: h.topic("edges"))
        try h.node.configure(h.context)

        // 4 x 4 rgb8 with R = G = B = v(x, y) = 10x + 20y, so luma = v. At interior pixels
        // Gx = 4 * (v(x+1) - v(x-1)) / 2 ... concretely (1,2,1) weights on a difference of 20: 80;
        // Gy likewise on a difference of 40: 160; |Gx| + |Gy| = 240. Borders are 0.
        var pixels: [UInt8] = []
        for y in 0..<4 { for x in 0..<4 { let v = UInt8(10 * x + 20 * y); pixels += [v, v, v] } }
        var img = try Image(height: 4, width: 4, encoding: .rgb8, copying: pixels, pool: h.context.pool)
        img.timestampNs = 777
        try feed.publish(img)
        try h.node.tick(h.context)
        let edges = try XCTUnwrap(result.tryReceive())
        XCTAssertEqual(edges.encoding, .mono8)
        XCTAssertEqual(Array(edges.bytes), [0, 0, 0, 0,
                                            0, 240, 240, 0,
                                            0, 240, 240, 0,
                                            0, 0, 0, 0])
        XCTAssertEqual(edges.timestampNs, 777)
        XCTAssertEqual(h.node.heldHandleCount, 0)
    }

    func testSwiftEdgeDetectStepWithScaleOnMono8() throws {
        let lib = try PluginLibrary.load(path: try edgeDetectPluginPath())
        let h = try PluginHarness(library: lib, type: "edge_detect", params: ["scale": .double(0.25)], tag: "step")
        let feed = try Publisher<Image>(topic: h.topic("image"))
        let result = try Subscriber<Image>(topic: h.topic("edges"))
        try h.node.configure(h.context)
        // Vertical step 0 | 100 between columns 1 and 2; Gx = 100 * (1 + 2 + 1) = 400 at
        // columns 1 and 2, Gy = 0; 0.25 * 400 = 100.
        let rows: [UInt8] = [0, 0, 100, 100]
        try feed.publish(try Image(height: 3, width: 4, encoding: .mono8, copying: rows + rows + rows, pool: h.context.pool))
        try h.node.tick(h.context)
        XCTAssertEqual(Array(try XCTUnwrap(result.tryReceive()).bytes), [0, 0, 0, 0, 0, 100, 100, 0, 0, 0, 0, 0])
    }

    /// A plugin that abuses every host service: nothing crashes, each call gets a status.
    func testBadArgumentsFromPluginAreRefused() throws {
        let source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "horus_plugin.h"
        static const horus_port_def_t ports[] = {
          {.name = "in", .direction = HORUS_PORT_INPUT, .message_type = "Image", .optional = 1},
          {.name = "out", .direction = HORUS_PORT_OUTPUT, .message_type = "Tensor"},
        };
        static const horus_param_def_t params[] = {
          {.name = "gain", .type = HORUS_PARAM_DOUBLE, .flags = HORUS_PARAM_HAS_DEFAULT, .default_value = {.d = 2.5}},
        };
        static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return malloc(1); }
        static int32_t tick(void *i, const horus_host_t *h) {
          (void)i;
          horus_message_t m, img;
          int64_t v = 0; double d = 0; const char *s = NULL;
          int64_t shape[2] = {2, 3};
          int32_t r[16];
          r[0] = h->release(h, 12345);                      /* forged handle */
          r[1] = h->take(h, 7, HORUS_TAKE_NEXT, &m);         /* no such port */
          r[2] = h->take(h, 1, HORUS_TAKE_NEXT, &m);         /* an output */
          r[3] = h->take(h, 0, 9, &m);                       /* bad mode */
          r[4] = h->alloc(h, 42, 0, 0, 0, NULL, &m);         /* bad kind */
          r[5] = h->alloc(h, HORUS_KIND_TENSOR, 0, HORUS_DTYPE_F32, 2, shape, NULL); /* NULL out */
          r[6] = h->param_int(h, "nope", &v);                /* unknown param */
          r[7] = h->param_int(h, "gain", &v);                /* wrong type */
          r[8] = h->param_double(h, "gain", &d);             /* ok: 2.5 */
          r[9] = h->alloc(h, HORUS_KIND_TENSOR, 0, HORUS_DTYPE_F32, 2, shape, &m); /* ok */
          r[10] = h->publish(h, 0, &m);                      /* publish to an input */
          r[11] = h->alloc(h, HORUS_KIND_IMAGE, 4, 0, 2, shape, &img);  /* ok: mono8 image */
          r[12] = h->publish(h, 1, &img);                    /* Image on a Tensor port */
          r[13] = h->release(h, m.handle);                   /* ok */
          r[14] = h->release(h, m.handle);                   /* double release */
          r[15] = h->param_string(h, "gain", &s);            /* wrong type */
          h->release(h, img.handle);
          char line[256]; int n = 0;
          for (int k = 0; k < 16; k++) n += snprintf(line + n, sizeof line - n, "%d ", r[k]);
          snprintf(line + n, sizeof line - n, "gain=%.1f wired=%d,%d", d, h->is_wired(h, 0), h->is_wired(h, 1));
          h->log(h, HORUS_LOG_INFO, line);
          return HORUS_OK;
        }
        static void destroy(void *i) { free(i); }
        static const horus_node_type_t types[] = {{.name = "abuse", .port_count = 2, .ports = ports,
          .param_count = 1, .params = params, .create = create, .tick = tick, .destroy = destroy}};
        static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 1,
          .name = "abuse", .node_types = types};
        const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
        """
        let lib = try PluginLibrary.load(path: try compilePlugin(source, name: "abuse"))
        let node = try lib.makeNode(type: "abuse")
        let logs = LogBox()
        // Only the output is wired: the optional input stays unwired.
        let context = try NodeContext.wired(nodeName: "abuse", params: ["gain": .double(2.5)], pool: try testPool(),
                                            outputs: [PortWiring(port: "out", topic: "plug\(getpid()).abuse.out", typeName: "Tensor")],
                                            log: { logs.lines.append($0) })
        try node.configure(context)
        try node.tick(context)
        XCTAssertEqual(logs.lines, ["[abuse] -3 -4 -4 -4 -4 -4 -1 -2 0 0 -4 0 -2 0 -3 -2 gain=2.5 wired=0,1"])
        XCTAssertEqual(node.heldHandleCount, 0)
    }

    func testPluginErrorsBecomeNodeErrors() throws {
        let source = """
        #include <stdlib.h>
        #include "horus_plugin.h"
        static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return malloc(1); }
        static int32_t tick(void *i, const horus_host_t *h) { (void)i; h->set_error(h, "sensor on fire"); return HORUS_ERR_FAILED; }
        static void destroy(void *i) { free(i); }
        static const horus_node_type_t types[] = {{.name = "failing", .create = create, .tick = tick, .destroy = destroy}};
        static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 1,
          .name = "failing", .node_types = types};
        const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
        """
        let lib = try PluginLibrary.load(path: try compilePlugin(source, name: "failing"))
        let node = try lib.makeNode(type: "failing")
        let context = try NodeContext.wired(nodeName: "f1", pool: try testPool(), log: { _ in })
        try node.configure(context)
        XCTAssertThrowsError(try node.tick(context)) { e in
            XCTAssertTrue("\(e)".hasPrefix("node 'f1' failed in tick: plugin node type 'failing'"), "\(e)")
            XCTAssertTrue("\(e)".hasSuffix("sensor on fire"), "\(e)")
        }
    }

    /// Handles still held when the node goes away are released (no leaked pool slots).
    func testHeldHandlesAreReleasedOnDestroy() throws {
        let source = """
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
          .create = create, .tick = tick, .destroy = destroy}};
        static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 1,
          .name = "leaky", .node_types = types};
        const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
        """
        let lib = try PluginLibrary.load(path: try compilePlugin(source, name: "leaky"))
        let pool = try testPool()
        let before = pool.slotsInUse
        do {
            let node = try lib.makeNode(type: "leaky")
            let context = try NodeContext.wired(nodeName: "leaky", pool: pool, log: { _ in })
            try node.configure(context)
            for _ in 0..<3 { try node.tick(context) }
            XCTAssertEqual(node.heldHandleCount, 3)
            XCTAssertEqual(pool.slotsInUse, before + 3)
        }
        XCTAssertEqual(pool.slotsInUse, before)
    }
}
