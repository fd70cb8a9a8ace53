import XCTest
import CHorus
final class DescriptorLayoutTests: XCTestCase {
    func testDescriptorIs144Bytes() { XCTAssertEqual(MemoryLayout<horus_descriptor>.size, 144) }
}
