import ArgumentParser
import CHorus
import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench plugins`: what calling a node through the plugin C ABI costs, next to the
/// same node built in (a Swift `Node`), both called through `Node.tick` as the scheduler
/// calls them. The plugin is a small C library compiled at run time with `cc -O2` (or
/// `--plugin PATH`, built from the same source).
///
/// - empty tick: the plugin's tick returns HORUS_OK (adapter + vtable call) vs an empty
///   Swift tick.
/// - take (empty): one `host->take` that finds nothing vs `InputPort.next()` finding nothing.
/// - take + release: a 16-float Tensor is published, then taken and released by the node
///   (plugin: `take` + `release` host services; built in: `next()` and drop). The publish
///   is in both sides' time.
struct PluginBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Per-call overhead of a plugin node tick vs the same node built in; or, with --plugin and --type, the time of your node on reference inputs.",
        discussion: """
        With --type, loads --plugin (found like a graph's `plugin:`: absolute, relative to the \
        current directory, HORUS_PLUGIN_PATH, the default plugin directories), publishes a \
        reference message on each input (Image rgb8, DepthImage meters, PointCloud xyz, Tensor \
        float32, struct: zero bytes; --width/--height set the size) and times tick, against \
        the same publishes with an empty tick. Exits non-zero on any error.
        """
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "Samples per operation.")
    var samples = 5_000

    @Option(help: "Calls timed together per sample (per-call time = sample / batch).")
    var batch = 64

    @Option(help: "A prebuilt bench plugin (default: compile the embedded C source with cc), or your plugin with --type.")
    var plugin: String?

    @Option(help: "Time this node type of --plugin on reference inputs.")
    var type: String?

    @Option(name: .customLong("param"), help: "A param of --type as name=value (repeatable; defaults otherwise).")
    var params: [String] = []

    @Option(help: "Reference image width (with --type).")
    var width = 640

    @Option(help: "Reference image height (with --type).")
    var height = 480

    static let source = #"""
    #include "horus_plugin.h"
    static const horus_port_def_t ports[] = {
      {.name = "in", .direction = HORUS_PORT_INPUT, .optional = 1, .message_type = "Tensor"},
    };
    static int instance_storage;
    static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return &instance_storage; }
    static void destroy(void *self) { (void)self; }
    static int32_t tick_empty(void *self, const horus_host_t *h) { (void)h; (*(int *)self)++; return HORUS_OK; }
    static int32_t tick_take(void *self, const horus_host_t *h) {
      horus_message_t m;
      if (h->take(h, 0, HORUS_TAKE_NEXT, &m) != HORUS_OK) return HORUS_OK;
      (*(int *)self)++;
      return h->release(h, m.handle);
    }
    static const horus_node_type_t types[] = {
      {.name = "bench_empty", .port_count = 1, .ports = ports, .default_rate_hz = 1000,
       .create = create, .tick = tick_empty, .destroy = destroy},
      {.name = "bench_take", .port_count = 1, .ports = ports, .default_trigger_input = "in",
       .create = create, .tick = tick_take, .destroy = destroy},
    };
    static const horus_plugin_t plugin = {.abi_version = HORUS_PLUGIN_ABI_VERSION, .node_type_count = 2,
      .name = "bench_plugin", .version = "1", .node_types = types};
    const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
    """#

    /// The built-in twins of the plugin node types.
    final class EmptyNode: Node {
        var count = 0
        func configure(_ context: NodeContext) throws {}
        func tick(_ context: NodeContext) throws { count &+= 1 }
    }
    final class TakeNode: Node {
        var input: InputPort<Tensor>?
        var count = 0
        func configure(_ context: NodeContext) throws { input = try context.input("in", as: Tensor.self) }
        func tick(_ context: NodeContext) throws {
            guard input!.next() != nil else { return }
            count &+= 1
        }
    }

    func validate() throws {
        guard samples > 0, batch > 0 else { throw ValidationError("samples and batch must be positive") }
        guard width > 0, height > 0, width * height <= 64 << 20 else { throw ValidationError("width and height must be positive (at most 64 M pixels)") }
        if type != nil && plugin == nil { throw ValidationError("--type needs --plugin LIB") }
    }

    private func compilePlugin() throws -> String {
        let dir = NSTemporaryDirectory() + "horus-bench-plugin-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let src = dir + "/bench_plugin.c", lib = dir + "/libbench_plugin.so"
        try Self.source.write(toFile: src, atomically: true, encoding: .utf8)
        // horus_plugin.h from the source tree this binary was built from.
        let include = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CHorus/include").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [ProcessInfo.processInfo.environment["CC"] ?? "cc", "-shared", "-fPIC", "-O2", "-I", include, "-o", lib, src]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("cc failed compiling the bench plugin (use --plugin PATH)") }
        return lib
    }

    func run() throws {
        Progress.quiet = common.quiet
        if getenv("HORUS_NAMESPACE") == nil { setenv("HORUS_NAMESPACE", "bench-\(getpid())", 1) }
        if let type, let plugin {
            let here = FileManager.default.currentDirectoryPath
            let candidates = PluginSearchPath.fromEnvironment().candidates(for: plugin, graphDirectory: here)
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw ValidationError("plugin '\(plugin)': no such library (tried \(candidates.joined(separator: ", ")))")
            }
            try UserNodeBench(libraryPath: found, typeName: type, params: params, width: width, height: height,
                              samples: samples == 5_000 ? 300 : samples, json: common.json).run()
            return
        }
        let path = try plugin ?? compilePlugin()
        let lib = try PluginLibrary.load(path: path)
        guard lib.nodeType("bench_empty") != nil else {
            throw ValidationError("plugin '\(lib.path)' is not the bench plugin; to time your node pass --type (it exports \(lib.nodeTypes.map(\.name).joined(separator: ", ")))")
        }
        // A loaded library no longer needs its file.
        if plugin == nil { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let pool = try Pool.open(name: "plugins", configuration: PoolConfiguration(classes: [.init(slotSize: 256, slotCount: 256)], processCapacity: 4))
        Progress.note("namespace \(HorusNamespace.current), plugin \(path)")

        func context(_ name: String, wired: Bool) throws -> NodeContext {
            try NodeContext.wired(nodeName: name, pool: pool,
                                  inputs: wired ? [PortWiring(port: "in", topic: "/bench/\(name)", typeName: "Tensor")] : [],
                                  capacity: 64, log: { _ in })
        }
        let sampler = LatencySampler(samples: samples, batch: batch, warmupCalls: 10_000)
        func pair(_ label: String, _ plugin: Node, _ pctx: NodeContext, _ builtin: Node, _ bctx: NodeContext,
                  before: (() throws -> Void)? = nil, goal: Goal?, note: String) throws -> BenchResult {
            try plugin.configure(pctx)
            try builtin.configure(bctx)
            var s = sampler
            s.label = label
            let pre = before ?? {}
            let (a, b) = try s.measureInterleaved({ try pre(); try plugin.tick(pctx) }, { try pre(); try builtin.tick(bctx) })
            let pa = Percentiles(a), pb = Percentiles(b)
            return BenchResult(name: "plugin \(label)", stats: pa, baselineName: "built-in \(label)",
                               baseline: pb, goal: goal, note: note + "; C ABI overhead (p50 difference) \(formatNs(pa.p50 - pb.p50))")
        }

        var results: [BenchResult] = []
        results.append(try pair("empty tick", try lib.makeNode(type: "bench_empty"), try context("pe", wired: false),
                                EmptyNode(), try context("be", wired: false), goal: .p50AtMost(100),
                                note: "Node.tick -> PluginNode -> C vtable tick; goal: plugin p50 <= 100 ns"))
        results.append(try pair("take (empty input)", try lib.makeNode(type: "bench_take"), try context("pt", wired: true),
                                TakeNode(), try context("bt", wired: true), goal: nil,
                                note: "host->take finding nothing vs InputPort.next() finding nothing"))
        // One message per tick: both sides publish a 16-float tensor, then tick.
        let pubP = try Publisher<Tensor>(topic: "/bench/ptm", capacity: 64)
        let pubB = try Publisher<Tensor>(topic: "/bench/btm", capacity: 64)
        let tensor = try Tensor(shape: [16], dtype: .float32, pool: pool)
        let pnode = try lib.makeNode(type: "bench_take"), bnode = TakeNode()
        let pctx = try context("ptm", wired: true), bctx = try context("btm", wired: true)
        try pnode.configure(pctx)
        try bnode.configure(bctx)
        var s = sampler
        s.label = "take + release"
        let (a, b) = try s.measureInterleaved({ try pubP.publish(tensor); try pnode.tick(pctx) },
                                              { try pubB.publish(tensor); try bnode.tick(bctx) })
        let pa = Percentiles(a), pb = Percentiles(b)
        results.append(BenchResult(name: "plugin publish + take + release", stats: pa,
                                   baselineName: "built-in publish + next()", baseline: pb, goal: nil,
                                   note: "includes publishing the message (same on both sides); C ABI overhead (p50 difference) \(formatNs(pa.p50 - pb.p50))"))
        BenchOutput.emit(bench: "plugins", title: "horus-bench plugins (batch \(batch), \(samples) samples)", results: results, json: common.json)
    }
}
