import Foundation
import HorusGraph
import HorusMemory
import HorusPlugins
import HorusTopics
import XCTest

/// docs/writing-plugins.md promises that its C code block is a complete plugin: compile
/// it exactly as printed, load it and run a tick through the adapter.
final class DocExampleTests: XCTestCase {
    override class func setUp() { usePrivateNamespace() }
    override class func tearDown() { restoreNamespace() }

    func cBlock() throws -> String {
        let page = try String(contentsOfFile: "\(repoRoot)/docs/writing-plugins.md", encoding: .utf8)
        let start = try XCTUnwrap(page.range(of: "```c\n"), "no ```c block in writing-plugins.md")
        let end = try XCTUnwrap(page.range(of: "\n```", range: start.upperBound..<page.endIndex))
        return String(page[start.upperBound..<end.lowerBound]) + "\n"
    }

    func testDocumentedCPluginCompilesLoadsAndTicks() throws {
        let lib = try PluginLibrary.load(path: try compilePlugin(try cBlock(), name: "brighten"))
        XCTAssertEqual(lib.name, "brighten_plugin")
        let spec = try XCTUnwrap(lib.nodeType("brighten"))
        XCTAssertEqual(spec.params, [ParamSpec("offset", .int, default: .int(20), min: -255, max: 255, doc: "added to every channel")])
        XCTAssertEqual(spec.defaultTrigger, .input("image"))

        let h = try PluginHarness(library: lib, type: "brighten", params: ["offset": .int(40)], tag: "doc")
        let feed = try Publisher<Image>(topic: h.topic("image"))
        let result = try Subscriber<Image>(topic: h.topic("image_out"))
        try h.node.configure(h.context)
        var img = try Image(height: 1, width: 2, encoding: .rgb8, copying: [UInt8]([0, 100, 250, 215, 216, 1]), pool: h.context.pool)
        img.timestampNs = 99
        try feed.publish(img)
        try h.node.tick(h.context)
        let out = try XCTUnwrap(result.tryReceive())
        XCTAssertEqual(out.encoding, .rgb8)
        XCTAssertEqual(Array(out.bytes), [40, 140, 255, 255, 255, 41])
        XCTAssertEqual(out.timestampNs, 99)
        XCTAssertEqual(h.node.heldHandleCount, 0)
    }
}
