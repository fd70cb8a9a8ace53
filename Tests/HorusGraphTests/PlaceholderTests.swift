import XCTest
@testable import HorusGraph
final class HorusGraphPlaceholderTests: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
