import Foundation
import HorusGraph
import XCTest
@testable import HorusNodes

/// docs/nodes.md is generated from the built-in node types' declarations.
final class NodeReferenceDocTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testNodesDocIsUpToDate() throws {
        let path = Self.repo.appendingPathComponent("docs/nodes.md").path
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        let expected = BuiltinNodes.referenceMarkdown()
        XCTAssertEqual(onDisk, expected, "docs/nodes.md is stale: regenerate it with `swift run horus-run types --markdown > docs/nodes.md`")
    }

    /// Every port and param of every built-in type is in the reference, with its facts.
    func testReferenceCoversEveryDeclaration() throws {
        let md = BuiltinNodes.referenceMarkdown()
        for spec in try BuiltinNodes.catalog().registry.specs {
            XCTAssertTrue(md.contains("## `\(spec.name)`"), spec.name)
            for p in spec.ports {
                XCTAssertTrue(md.contains("| `\(p.name)` | \(p.direction.rawValue) | `\(p.messageType)` | \(p.optional ? "optional" : "required") |"), "\(spec.name).\(p.name)")
            }
            for p in spec.params {
                XCTAssertTrue(md.contains("| `\(p.name)` | \(p.type) | "), "\(spec.name).\(p.name)")
            }
        }
        XCTAssertTrue(md.contains("| `cloud` | output | `PointCloud` | required |"))
        XCTAssertTrue(md.contains("Default trigger: periodic, 30 Hz"))
    }
}
