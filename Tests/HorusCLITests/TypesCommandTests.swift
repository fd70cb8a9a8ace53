import Foundation
import XCTest

/// `horus-run types`: the node type reference on the command line.
final class TypesCommandTests: XCTestCase {
    func testOneBuiltinType() throws {
        let r = try horusRun(["types", "downsampler"], namespace: uniqueNamespace("ty"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("downsampler  (built-in)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("trigger: when input 'cloud' receives a message"), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"cloud\s+input\s+PointCloud\s+required"#, options: .regularExpression), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"cloud\s+output\s+PointCloud\s+required"#, options: .regularExpression), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"leaf_size\s+double\s+0\.05\s+0\.001\.\.\.10\.0\s+voxel edge, m"#, options: .regularExpression), r.stdout)
        XCTAssertFalse(r.stdout.contains("camera_sim"), "only the asked type")
    }

    func testUnknownTypeSuggests() throws {
        let r = try horusRun(["types", "camera_sm"], namespace: uniqueNamespace("ty"))
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("unknown node type 'camera_sm'; did you mean 'camera_sim'?"), r.stderr)
    }

    func testEveryBuiltinAndMarkdownMatchesDocs() throws {
        let all = try horusRun(["types"], namespace: uniqueNamespace("ty"))
        XCTAssertEqual(all.status, 0, all.stderr)
        for name in ["camera_sim", "depth_to_cloud", "downsampler", "costmap_builder"] {
            XCTAssertTrue(all.stdout.contains("\(name)  (built-in)"), name)
        }
        let md = try horusRun(["types", "--markdown"], namespace: uniqueNamespace("ty"))
        XCTAssertEqual(md.status, 0, md.stderr)
        XCTAssertEqual(md.stdout, try String(contentsOfFile: "\(cliRepoRoot)/docs/nodes.md", encoding: .utf8))
    }

    func testPluginTypes() throws {
        guard let dir = cPluginDir else { throw XCTSkip("could not build the C plugins (no cc?)") }
        let r = try horusRun(["types", "--plugin", "\(dir)/libhorus_threshold.so"], namespace: uniqueNamespace("ty"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("threshold  (plugin \(dir)/libhorus_threshold.so)"), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"threshold\s+int\s+128\s+0\.\.\.255"#, options: .regularExpression), r.stdout)
        XCTAssertTrue(r.stdout.contains("trigger: when input 'image' receives a message"), r.stdout)
        XCTAssertFalse(r.stdout.contains("camera_sim"), r.stdout)
        let missing = try horusRun(["types", "--plugin", "libnothere.so"], namespace: uniqueNamespace("ty"))
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot load plugin 'libnothere.so': no such library (tried "), missing.stderr)
    }

    /// `swift build` builds the C plugins under Plugins/ next to horus-run (SwiftPM C dynamic libraries).
    func testSwiftBuildBuildsTheCPlugins() throws {
        let dir = builtExecutable("horus-run").deletingLastPathComponent().path
        for (lib, type) in [("libhorus_threshold.so", "threshold"), ("libhorus_crasher.so", "crasher")] {
            let r = try horusRun(["types", "--plugin", "\(dir)/\(lib)"], namespace: uniqueNamespace("ty"))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("\(type)  (plugin "), r.stdout)
        }
    }
}
