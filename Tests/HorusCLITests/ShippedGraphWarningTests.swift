import Foundation
import XCTest

/// The shipped main graph validates without a single warning (its outputs are declared).
final class ShippedGraphWarningTests: XCTestCase {
    func testMainGraphHasNoWarnings() throws {
        let r = try horusRun(["check", "\(cliRepoRoot)/graphs/camera_to_costmap.yaml"], namespace: uniqueNamespace("warn"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("warning"), r.stderr)
        XCTAssertTrue((r.stdout + r.stderr).contains("OK (4 nodes, 6 topics)"), r.stdout + r.stderr)
    }
}
