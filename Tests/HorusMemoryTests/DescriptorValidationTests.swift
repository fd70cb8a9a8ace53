import CHorus
import HorusMemory
import HorusTestSupport
import XCTest

final class DescriptorValidationTests: XCTestCase {
    func testRoundTripThroughDescriptor() throws {
        let pool = try smallPool("desc")
        let img = try Image(height: 3, width: 4, encoding: .bgr8, pool: pool, timestampNs: 123, frameID: "camera_link")
        img.setPixel(x: 3, y: 2, [1, 2, 3])
        let back = try Image(descriptor: img.descriptor(), readOnly: true)
        XCTAssertEqual(back.pixel(x: 3, y: 2), [1, 2, 3])
        XCTAssertEqual(back.encoding, .bgr8)
        XCTAssertEqual(back.timestampNs, 123)
        XCTAssertEqual(back.frameID, "camera_link")
        XCTAssertTrue(back.asTensor().isReadOnly)
        XCTAssertEqual(back.asTensor().storage.base, img.asTensor().storage.base, "zero-copy: same slot memory")
        XCTAssertThrowsError(try PointCloud(descriptor: img.descriptor())) {
            XCTAssertEqual("\($0)", "descriptor is a Image, expected PointCloud")
        }
    }

    func testEachCorruptFieldIsNamed() throws {
        let pool = try smallPool("corrupt")
        let t = try Tensor(shape: [4, 4], dtype: .float32, pool: pool)
        let good = t.descriptor()
        func check(_ field: String, _ mutate: (inout horus_descriptor) -> Void) {
            var d = good
            mutate(&d.raw)
            XCTAssertThrowsError(try d.decode(), field) { XCTAssertTrue("\($0)".contains(field), "\(field): \($0)") }
        }
        check("magic") { $0.magic = 0 }
        check("version") { $0.version = 9 }
        check("kind") { $0.kind = 77 }
        check("dtype") { $0.dtype = 200 }
        check("ndim") { $0.ndim = 7 }
        check("slot") { $0.slot = 1_000_000 }
        check("byte_length") { $0.byte_length = 1 << 40 }
        check("offset") { $0.offset = 2 }
        check("offset") { $0.offset = 65 }
        check("shape x strides") { $0.shape.0 = 5 }
        check("shape x strides") { $0.strides.0 = -4 }
        check("strides[1]") { $0.strides.1 = Int64.max }
        check("pool_id") { $0.pool_id &+= 1 }
        check("stale descriptor") { $0.generation &+= 1 }
        check("frame_id") { d in withUnsafeMutableBytes(of: &d.frame_id) { b in for i in 0..<b.count { b[i] = 65 } } }
        check("encoding") { $0.encoding = 3 }
        check("flags") { $0.flags = 0x80 }
        XCTAssertNoThrow(try good.decode())
    }

    /// The C validator's encoding tables agree with the Swift enums: every encoding of
    /// every kind decodes, and a shape or dtype that does not fit the encoding is refused.
    func testEveryEncodingAgreesWithTheValidator() throws {
        let pool = try smallPool("encodings", classes: [(4096, 8)])
        for e in ImageEncoding.allCases {
            let img = try Image(height: 2, width: 3, encoding: e, pool: pool)
            XCTAssertEqual(try Image(descriptor: img.descriptor()).encoding, e)
            var d = img.descriptor()
            d.raw.shape.2 += 1
            d.raw.strides.1 = Int64(d.raw.shape.2); d.raw.strides.0 = Int64(3 * Int(d.raw.shape.2))
            XCTAssertThrowsError(try Image(descriptor: d), "\(e)") { XCTAssertTrue("\($0)".contains("needs [H, W, \(e.channels)]"), "\($0)") }
            var wrongType = img.descriptor()
            wrongType.raw.dtype = e.dtype == .uint8 ? DType.int8.rawValue : DType.int16.rawValue
            XCTAssertThrowsError(try Image(descriptor: wrongType), "\(e)") { XCTAssertTrue("\($0)".contains("shape/dtype"), "\($0)") }
        }
        for f in PointFormat.allCases {
            let cloud = try PointCloud(count: 5, format: f, pool: pool)
            XCTAssertEqual(try PointCloud(descriptor: cloud.descriptor()).format, f)
            var d = cloud.descriptor()
            d.raw.shape.1 = 5
            XCTAssertThrowsError(try PointCloud(descriptor: d)) { XCTAssertTrue("\($0)".contains("needs [N, \(f.fieldCount)]"), "\($0)") }
        }
        for u in DepthUnit.allCases {
            let depth = try DepthImage(height: 2, width: 2, unit: u, pool: pool)
            XCTAssertEqual(try DepthImage(descriptor: depth.descriptor()).unit, u)
            var d = depth.descriptor()
            d.raw.dtype = DType.float64.rawValue
            XCTAssertThrowsError(try DepthImage(descriptor: d)) { XCTAssertTrue("\($0)".contains("depth in \(u)"), "\($0)") }
        }
        for dtype in DType.allCases { XCTAssertEqual(Int(horus_dtype_size(dtype.rawValue)), dtype.size, "\(dtype)") }
        XCTAssertEqual(horus_dtype_size(UInt8(DType.allCases.count)), 0)
    }

    func testStaleDescriptorOfRecycledSlotIsRefused() throws {
        let pool = try smallPool("stale", classes: [(256, 1)])
        var t: Tensor? = try Tensor(shape: [8], pool: pool)
        let old = t!.descriptor()
        t = nil
        let reused = try Tensor(shape: [8], pool: pool)
        XCTAssertEqual(reused.storage.slot, old.raw.slot)
        XCTAssertThrowsError(try Tensor(descriptor: old)) { XCTAssertTrue("\($0)".contains("stale descriptor"), "\($0)") }
        XCTAssertEqual(pool.referenceCount(slot: reused.storage.slot), 1, "a refused decode leaves counts unchanged")
    }

    /// Thousands of random and edge-case descriptors: each is refused with an error or
    /// yields a view whose every byte lies inside its slot allocation. Never a crash.
    func testFuzzedDescriptorsAreRefusedOrSafe() throws {
        let pool = try smallPool("fuzz", classes: [(256, 8), (4096, 4)])
        let a = try Tensor(shape: [4, 8], dtype: .float32, pool: pool)
        let b = try Image(height: 8, width: 8, encoding: .rgb8, pool: pool)
        let seeds = [a.descriptor(), b.descriptor()]
        var rng = SystemRandomNumberGenerator()
        let edges: [UInt64] = [0, 1, 2, 3, 4, 7, 8, 63, 64, 127, 128, 255, 256, 4095, 4096, UInt64(UInt32.max), UInt64(Int64.max), UInt64.max]
        var accepted = 0, refused = 0
        for i in 0..<20000 {
            var d = seeds[i % 2]
            let mutations = Int.random(in: 1...4, using: &rng)
            for _ in 0..<mutations {
                let pick = { edges.randomElement(using: &rng)! }
                switch Int.random(in: 0..<12, using: &rng) {
                case 0: d.raw.offset = pick()
                case 1: d.raw.byte_length = pick()
                case 2: d.raw.slot = UInt32(truncatingIfNeeded: pick())
                case 3: d.raw.ndim = UInt8.random(in: 0...8, using: &rng)
                case 4: d.raw.dtype = UInt8.random(in: 0...14, using: &rng)
                case 5: withUnsafeMutableBytes(of: &d.raw.shape) { $0.storeBytes(of: UInt32(truncatingIfNeeded: pick()), toByteOffset: 4 * Int.random(in: 0..<6, using: &rng), as: UInt32.self) }
                case 6: withUnsafeMutableBytes(of: &d.raw.strides) { $0.storeBytes(of: Int64(bitPattern: pick()) * (Bool.random(using: &rng) ? 1 : -1), toByteOffset: 8 * Int.random(in: 0..<6, using: &rng), as: Int64.self) }
                case 7: d.raw.encoding = UInt8.random(in: 0...12, using: &rng)
                case 8: d.raw.kind = UInt8.random(in: 0...5, using: &rng)
                case 9: d.raw.generation = UInt32.random(in: 0...UInt32.max, using: &rng)
                case 10: withUnsafeMutableBytes(of: &d.raw) { $0[Int.random(in: 0..<144, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                default: d.raw.flags = UInt8.random(in: 0...3, using: &rng)
                }
            }
            do {
                let s = try d.decode()
                accepted += 1
                // Every reachable byte must be inside the allocation.
                let t = s.tensor
                let start = t.storage.base, end = start + t.storage.byteCount
                XCTAssertLessThanOrEqual(t.storage.byteCount, pool.capacity(ofSlot: t.storage.slot))
                if t.count > 0 {
                    var lo = t.byteOffset, hi = t.byteOffset
                    for k in 0..<t.ndim {
                        let span = (t.shape[k] - 1) * t.strides[k] * t.dtype.size
                        if span < 0 { lo += span } else { hi += span }
                    }
                    XCTAssertGreaterThanOrEqual(start + lo, start)
                    XCTAssertLessThanOrEqual(start + hi + t.dtype.size, end)
                    // Touch every element (stride-0 views may have billions: bounds were checked above).
                    if t.count <= 1 << 16 {
                        var n = 0
                        t.forEachElement { _ in n += 1 }
                        XCTAssertEqual(n, t.count)
                    }
                }
            } catch {
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 10000)
        XCTAssertGreaterThan(accepted, 0)
        XCTAssertEqual(pool.referenceCount(slot: a.storage.slot), 1, "no reference leaked by refused or dropped decodes")
        XCTAssertEqual(pool.referenceCount(slot: b.asTensor().storage.slot), 1)
    }
}
