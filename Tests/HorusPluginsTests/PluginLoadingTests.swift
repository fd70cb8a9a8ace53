import Foundation
import HorusGraph
import HorusPlugins
import XCTest

/// A C plugin source with one node type whose table pieces can be overridden.
func cPluginSource(abi: String = "HORUS_PLUGIN_ABI_VERSION", typeName: String = "\"probe\"", secondTypeName: String? = nil,
                   ports: String = "ports", portCount: String = "2", messageType: String = "\"Image\"",
                   tick: String = "tick", entryName: String = "horus_plugin_entry", pluginName: String = "\"probe_plugin\"",
                   paramType: String = "HORUS_PARAM_INT") -> String {
    let types = secondTypeName == nil ? "1" : "2"
    let second = secondTypeName.map { ", {.name = \($0), .port_count = 0, .create = create, .tick = tick, .destroy = destroy}" } ?? ""
    return """
    #include <stdlib.h>
    #include "horus_plugin.h"
    static const horus_port_def_t ports[] = {
      {.name = "in", .direction = HORUS_PORT_INPUT, .message_type = \(messageType)},
      {.name = "out", .direction = HORUS_PORT_OUTPUT, .message_type = "Image"},
    };
    static const horus_param_def_t params[] = {
      {.name = "k", .type = \(paramType), .flags = HORUS_PARAM_HAS_DEFAULT, .default_value = {.i = 3}},
    };
    static void *create(const horus_node_type_t *t, const horus_host_t *h) { (void)t; (void)h; return malloc(1); }
    static int32_t tick(void *i, const horus_host_t *h) { (void)i; (void)h; return HORUS_OK; }
    static void destroy(void *i) { free(i); }
    static const horus_node_type_t types[] = {{
      .name = \(typeName), .port_count = \(portCount), .ports = \(ports), .param_count = 1, .params = params,
      .create = create, .tick = \(tick), .destroy = destroy,
    }\(second)};
    static const horus_plugin_t plugin = {.abi_version = \(abi), .node_type_count = \(types), .name = \(pluginName), .node_types = types};
    const horus_plugin_t *\(entryName)(void) { return &plugin; }
    """
}

final class PluginLoadingTests: XCTestCase {
    override class func setUp() { usePrivateNamespace() }
    override class func tearDown() { restoreNamespace() }

    func testLoadsCPluginNodeTypes() throws {
        let lib = try PluginLibrary.load(path: thresholdPluginPath)
        XCTAssertEqual(lib.name, "horus_threshold")
        XCTAssertEqual(lib.version, "1.0.0")
        XCTAssertEqual(lib.nodeTypes.map(\.name), ["threshold"])
        let t = try XCTUnwrap(lib.nodeType("threshold"))
        XCTAssertEqual(t.doc, "Binary threshold of an 8-bit image's luma, as mono8")
        XCTAssertEqual(t.ports, [
            .input("image", .image, doc: "8-bit mono or color image"),
            .output("mask", .image, doc: "mono8: 255 above threshold, else 0"),
        ])
        XCTAssertEqual(t.params, [
            ParamSpec("threshold", .int, default: .int(128), min: 0, max: 255, doc: "luma above which a pixel is set"),
            ParamSpec("invert", .bool, default: .bool(false), doc: "output 0 above the threshold and 255 below"),
        ])
        XCTAssertEqual(t.defaultTrigger, .input("image"))
        XCTAssertTrue(t.problems().isEmpty)
        // Loading the same file again gives the same library object.
        XCTAssertTrue(try PluginLibrary.load(path: thresholdPluginPath) === lib)

        var catalog = NodeCatalog()
        try catalog.register(plugin: lib)
        XCTAssertEqual(catalog.registry.names, ["threshold"])
        XCTAssertTrue(try catalog.make("threshold") is PluginNode)
    }

    func testNoSuchLibrary() {
        XCTAssertThrowsError(try PluginLibrary.load(path: "/nonexistent/libnope.so")) { e in
            XCTAssertEqual("\(e)", "plugin '/nonexistent/libnope.so': no such library")
        }
    }

    func testNotAnELFFileReportsDlerror() throws {
        let path = scratchDir + "/libgarbage.so"
        try String(repeating: "this is not a shared library\n", count: 40).write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PluginLibrary.load(path: path)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix("plugin '\(path)': dlopen failed: "), text)
            XCTAssertTrue(text.contains("invalid ELF header") || text.contains("file too short"), text)
        }
    }

    func testMissingEntrySymbol() throws {
        let path = try compilePlugin("int something_else(void) { return 1; }\n", name: "noentry")
        XCTAssertThrowsError(try PluginLibrary.load(path: path)) { e in
            XCTAssertTrue("\(e)".contains("missing entry symbol 'horus_plugin_entry'"), "\(e)")
            XCTAssertTrue("\(e)".contains(path), "\(e)")
        }
    }

    func testABIVersionMismatchNamesBothVersions() throws {
        let path = try compilePlugin(cPluginSource(abi: "999"), name: "abi999")
        XCTAssertThrowsError(try PluginLibrary.load(path: path)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("plugin ABI version 999.0 is not supported"), text)
            XCTAssertTrue(text.contains("this host implements plugin ABI 1.0 to 1.1"), text)
        }
    }

    func testDuplicateNodeTypeNames() throws {
        let path = try compilePlugin(cPluginSource(secondTypeName: "\"probe\""), name: "duptypes")
        XCTAssertThrowsError(try PluginLibrary.load(path: path)) { e in
            XCTAssertTrue("\(e)".contains("duplicate node type name 'probe'"), "\(e)")
        }
    }

    func testMalformedTablesAreRefused() throws {
        let cases: [(String, String, String)] = [
            ("nullports", cPluginSource(ports: "NULL"), "node type 'probe': ports is NULL but port_count is 2"),
            ("nulltick", cPluginSource(tick: "NULL"), "node type 'probe': tick callback is NULL"),
            ("nullname", cPluginSource(typeName: "NULL"), "node_types[0].name is NULL"),
            ("nullplugin", cPluginSource(pluginName: "NULL"), "plugin name is NULL"),
            ("hugecount", cPluginSource(portCount: "100000"), "port_count 100000 exceeds 256"),
            ("posetype", cPluginSource(messageType: "\"Pose\""), "port 'in' carries 'Pose'"),
            ("badparam", cPluginSource(paramType: "7"), "unknown type 7"),
        ]
        for (name, source, expected) in cases {
            let path = try compilePlugin(source, name: name)
            XCTAssertThrowsError(try PluginLibrary.load(path: path), name) { e in
                XCTAssertTrue("\(e)".contains("invalid plugin table"), "\(name): \(e)")
                XCTAssertTrue("\(e)".contains(expected), "\(name): \(e)")
            }
        }
    }

    func testResolverSearchRules() throws {
        // relative to the graph file's directory
        let graphDir = scratchDir + "/graphs"
        let pluginDir = scratchDir + "/plugin-path"
        try FileManager.default.createDirectory(atPath: graphDir + "/lib", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: pluginDir, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: thresholdPluginPath, toPath: graphDir + "/lib/libt.so")
        try? FileManager.default.copyItem(atPath: thresholdPluginPath, toPath: pluginDir + "/libsearched.so")
        let here = SourceLocation(file: "g.yaml", line: 1, column: 1)
        let resolver = DlopenPluginResolver(searchPath: PluginSearchPath(parsing: "/nonexistent-dir:" + pluginDir))

        let rel = try resolver.resolve(plugin: "lib/libt.so", graphDirectory: graphDir, at: here).get()
        XCTAssertEqual(rel.path, graphDir + "/lib/libt.so")
        XCTAssertEqual(rel.nodeTypes.map(\.name), ["threshold"])

        let searched = try resolver.resolve(plugin: "libsearched.so", graphDirectory: graphDir, at: here).get()
        XCTAssertEqual(searched.path, pluginDir + "/libsearched.so")

        let abs = try resolver.resolve(plugin: thresholdPluginPath, graphDirectory: "/", at: here).get()
        XCTAssertEqual(abs.path, thresholdPluginPath)

        guard case .failure(let missing) = resolver.resolve(plugin: "libmissing.so", graphDirectory: graphDir, at: here) else {
            return XCTFail("resolved a missing library")
        }
        XCTAssertEqual(missing.reason, "no such library")
        XCTAssertEqual(missing.triedPaths, [graphDir + "/libmissing.so", "/nonexistent-dir/libmissing.so", pluginDir + "/libmissing.so"])

        let garbage = graphDir + "/libbad.so"
        try "nope".write(toFile: garbage, atomically: true, encoding: .utf8)
        guard case .failure(let bad) = resolver.resolve(plugin: "libbad.so", graphDirectory: graphDir, at: here) else {
            return XCTFail("loaded garbage")
        }
        XCTAssertTrue(bad.description.contains("'\(garbage)': dlopen failed"), bad.description)
    }

    func testGraphValidationThroughDlopenResolver() throws {
        let graphDir = scratchDir + "/vgraph"
        try FileManager.default.createDirectory(atPath: graphDir, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: thresholdPluginPath, toPath: graphDir + "/libthreshold.so")
        let yaml = """
        nodes:
          - name: cam
            type: camera_sim
            rate: 30
            outputs: {color: /camera}
          - name: thresh
            plugin: libthreshold.so
            type: threshold
            params: {threshold: 300}
            inputs: {image: /camera}
            outputs: {mask: /mask}
        """
        try yaml.write(toFile: graphDir + "/g.yaml", atomically: true, encoding: .utf8)
        let resolver = DlopenPluginResolver(searchPath: PluginSearchPath(directories: []))
        let builtins = try NodeTypeRegistry([NodeTypeSpec(name: "camera_sim", ports: [.output("color", .image)])])
        let report = GraphLoader.loadAndValidate(path: graphDir + "/g.yaml", registry: builtins, pluginResolver: resolver)
        let text = report.diagnostics.map(\.description).joined(separator: "\n")
        XCTAssertTrue(text.contains("param 'threshold' = 300 is out of range (expected int in 0...255)"), text)

        try yaml.replacingOccurrences(of: "300", with: "90").write(toFile: graphDir + "/g.yaml", atomically: true, encoding: .utf8)
        let ok = GraphLoader.loadAndValidate(path: graphDir + "/g.yaml", registry: builtins, pluginResolver: resolver)
        XCTAssertFalse(ok.hasErrors, ok.diagnostics.map(\.description).joined(separator: "\n"))
    }
}
