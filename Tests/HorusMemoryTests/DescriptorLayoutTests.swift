import CHorus
import HorusMemory
import HorusTestSupport
import XCTest

final class DescriptorLayoutTests: XCTestCase {
    func testDescriptorIs144BytesWithDocumentedOffsets() {
        XCTAssertEqual(MemoryLayout<horus_descriptor>.size, 144)
        XCTAssertEqual(Descriptor.byteSize, 144)
        let offsets: [(PartialKeyPath<horus_descriptor>, Int)] = [
            (\.magic, 0), (\.version, 2), (\.kind, 3), (\.pool_id, 4), (\.slot, 8), (\.generation, 12),
            (\.offset, 16), (\.byte_length, 24), (\.dtype, 32), (\.ndim, 33), (\.encoding, 34), (\.flags, 35),
            (\.reserved0, 36), (\.shape, 40), (\.strides, 64), (\.timestamp_ns, 112), (\.frame_id, 120),
        ]
        for (kp, expected) in offsets {
            XCTAssertEqual(MemoryLayout<horus_descriptor>.offset(of: kp), expected, "\(kp)")
        }
    }

    func testHexRoundTrip() throws {
        let pool = try smallPool("hex")
        let img = try Image(height: 2, width: 3, encoding: .mono8, pool: pool, timestampNs: 7, frameID: "cam")
        let d = img.descriptor()
        let back = try XCTUnwrap(Descriptor(hex: d.hexString))
        XCTAssertEqual(back.hexString, d.hexString)
        XCTAssertEqual(back.frameID, "cam")
        XCTAssertNil(Descriptor(hex: "zz"))
    }
}
