import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import HorusTopics
import XCTest

/// Plugin ABI 1.1: a Tensor keeps its timestamp and frame id through take and publish.
final class TensorStampTests: XCTestCase {
    override class func setUp() { usePrivateNamespace() }
    override class func tearDown() { restoreNamespace() }

    /// Doubles a float32 tensor; the output is stamped input time + 1 and frame "<in>/out".
    /// The input's stamp is checked in C too, so `take` is covered as well as `publish`.
    static let source = """
    #include <string.h>
    #include "horus_plugin.h"
    enum { IN = 0, OUT = 1 };
    static const horus_port_def_t ports[] = {
      {.name = "in", .direction = HORUS_PORT_INPUT, .message_type = "Tensor"},
      {.name = "out", .direction = HORUS_PORT_OUTPUT, .message_type = "Tensor"},
    };
    static int token;
    static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return &token; }
    static int32_t tick(void *self, const horus_host_t *host) {
      (void)self;
      horus_message_t in, out;
      if (host->take(host, IN, HORUS_TAKE_NEXT, &in) != HORUS_OK) return HORUS_OK;
      int32_t s = host->alloc(host, HORUS_KIND_TENSOR, 0, HORUS_DTYPE_F32, in.ndim, in.shape, &out);
      if (s != HORUS_OK) { host->release(host, in.handle); return s; }
      const float *src = in.data; float *dst = out.data;
      for (int64_t i = 0; i < in.shape[0]; i++) dst[i] = 2 * src[i * in.strides[0]];
      out.timestamp_ns = in.timestamp_ns + 1;
      size_t n = 0;  /* "<in>/out", the input's id cut to 19 bytes: 23 + NUL fit */
      while (n < 19 && in.frame_id[n]) n++;
      memset(out.frame_id, 0, sizeof out.frame_id);
      memcpy(out.frame_id, in.frame_id, n);
      memcpy(out.frame_id + n, "/out", 4);
      s = host->publish(host, OUT, &out);
      host->release(host, out.handle);
      host->release(host, in.handle);
      return s;
    }
    static void destroy(void *self) { (void)self; }
    static const horus_node_type_t types[] = {{
      .name = "tensor_double", .port_count = 2, .ports = ports, .default_trigger_input = "in",
      .create = create, .tick = tick, .destroy = destroy,
    }};
    static const horus_plugin_t plugin = {
      .abi_version = HORUS_PLUGIN_ABI_VERSION_1_1, .node_type_count = 1, .name = "tensor_stamp", .node_types = types,
    };
    const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
    """

    private func run(source: String, name: String) throws -> Tensor {
        let lib = try PluginLibrary.load(path: try compilePlugin(source, name: name))
        let h = try PluginHarness(library: lib, type: "tensor_double", tag: name)
        let feed = try Publisher<Tensor>(topic: h.topic("in"))
        let result = try Subscriber<Tensor>(topic: h.topic("out"))
        try h.node.configure(h.context)
        var t = try Tensor(copying: [Float](arrayLiteral: 1, 2, 3), pool: h.context.pool)
        t.timestampNs = 1_700_000_000_123_456_789
        t.frameID = "lidar"
        try feed.publish(t)
        try h.node.tick(h.context)
        XCTAssertEqual(h.node.heldHandleCount, 0)
        let got = try XCTUnwrap(result.tryReceive(), "the plugin published nothing: \(h.logLines)")
        XCTAssertEqual(got.toArray(Float.self), [2, 4, 6])
        return got
    }

    /// C plugin -> Tensor topic -> Swift subscriber: both stamps arrive.
    func testTensorStampSurvivesPlugin() throws {
        let got = try run(source: Self.source, name: "tstamp11")
        XCTAssertEqual(got.timestampNs, 1_700_000_000_123_456_790, "input time + 1, set by the plugin")
        XCTAssertEqual(got.frameID, "lidar/out", "the plugin read the input's frame id and wrote its own")
    }

    /// An ABI 1.0 plugin keeps loading and working; its tensors are published unstamped as in 1.0.
    func testABI10PluginPublishesTensorsAsBefore() throws {
        let old = Self.source.replacingOccurrences(of: "HORUS_PLUGIN_ABI_VERSION_1_1", with: "HORUS_PLUGIN_ABI_VERSION")
        XCTAssertNotEqual(old, Self.source)
        let lib = try PluginLibrary.load(path: try compilePlugin(old, name: "tstamp10"))
        XCTAssertEqual(lib.abiMinor, 0)
        let got = try run(source: old, name: "tstamp10")
        XCTAssertEqual(got.timestampNs, 0)
        XCTAssertEqual(got.frameID, "")
    }

    /// Swift to Swift: a tensor's stamp travels in its descriptor (topic) as an Image's does.
    func testTensorStampTravelsOnTopic() throws {
        let pool = try testPool()
        let topic = "plug\(getpid()).tstopic"
        let pub = try Publisher<Tensor>(topic: topic)
        let sub = try Subscriber<Tensor>(topic: topic)
        var t = try Tensor(copying: [Int32](arrayLiteral: 7), pool: pool)
        t.timestampNs = 42
        t.frameID = "a_frame_id_of_23_bytes_"  // the most that fits (24 with the NUL)
        try pub.publish(t)
        let got = try XCTUnwrap(sub.tryReceive())
        XCTAssertEqual(got.timestampNs, 42)
        XCTAssertEqual(got.frameID, "a_frame_id_of_23_bytes_")
        XCTAssertEqual(got[0].timestampNs, 42, "a view keeps the stamp")
    }
}
