import XCTest
@testable import HorusNodes
final class HorusNodesPlaceholderTests: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
