import XCTest
@testable import HorusRecord
final class HorusRecordPlaceholderTests: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
