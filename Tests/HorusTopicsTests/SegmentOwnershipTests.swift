import CHorus
import HorusMemory
import HorusSystem
@testable import HorusTopics
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What may sit at a horus shm name: only a regular file of this user with mode 0600 is
/// attached; anything else is refused naming owner and mode; a file of ours that is not
/// a horus segment (no magic) is replaced.
final class SegmentOwnershipTests: XCTestCase {
    private func path(topic: String) -> String { "/dev/shm" + HorusNamespace.shmName(kind: "topic", name: topic) }

    /// Creates a file of `bytes` at `path` with exactly `mode`.
    private func makeFile(_ path: String, mode: mode_t, bytes: [UInt8]) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0, "create \(path)")
        defer { close(fd) }
        XCTAssertEqual(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, bytes.count)
        XCTAssertEqual(fchmod(fd, mode), 0)
    }

    func testAWorldWritableFileAtATopicNameIsRefusedNamingOwnerAndMode() throws {
        let topic = uniqueTopic("mode0666")
        let p = path(topic: topic)
        try makeFile(p, mode: 0o666, bytes: [UInt8](repeating: 0, count: 4096))
        defer { unlink(p) }
        XCTAssertThrowsError(try Publisher<Pose>(topic: topic)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("a file owned by uid \(geteuid()) with mode 0666"), text)
            XCTAssertTrue(text.contains("only to regular files of uid \(geteuid()) with mode 0600"), text)
        }
        XCTAssertThrowsError(try TopicInspector(topic: topic)) { error in
            XCTAssertTrue("\(error)".contains("mode 0666"), "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: p), "a file that is not ours to judge stays")
    }

    func testASymlinkAtATopicNameIsRefused() throws {
        let topic = uniqueTopic("symlink")
        let target = NSTemporaryDirectory() + "horus-symlink-target-\(getpid())"
        try makeFile(target, mode: 0o600, bytes: [UInt8](repeating: 0, count: 4096))
        defer { unlink(target) }
        let p = path(topic: topic)
        XCTAssertEqual(symlink(target, p), 0)
        defer { unlink(p) }
        XCTAssertThrowsError(try Subscriber<Pose>(topic: topic)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file owned by uid \(geteuid()) with mode 0777"), "O_NOFOLLOW: \(error)")
        }
        var st = stat()
        XCTAssertEqual(stat(target, &st), 0)
        XCTAssertEqual(st.st_size, 4096, "the symlink's target was not touched")
    }

    func testADirectoryAtATopicNameIsRefused() throws {
        let topic = uniqueTopic("dir")
        let p = path(topic: topic)
        XCTAssertEqual(mkdir(p, 0o700), 0)
        defer { rmdir(p) }
        XCTAssertThrowsError(try Publisher<Pose>(topic: topic)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file owned by uid \(geteuid()) with mode 0700"), "\(error)")
        }
        XCTAssertThrowsError(try TopicInspector(topic: topic)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file owned by uid \(geteuid()) with mode 0700"), "\(error)")
        }
    }

    func testAGarbageFileOfOursAtATopicNameIsReplaced() throws {
        let topic = uniqueTopic("garbage")
        let p = path(topic: topic)
        var x: UInt64 = 11
        let bytes = (0..<20_000).map { _ -> UInt8 in
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: x >> 56)
        }
        try makeFile(p, mode: 0o600, bytes: bytes)
        let pub = try Publisher<Pose>(topic: topic, capacity: 4)
        let sub = try Subscriber<Pose>(topic: topic)
        try pub.publish(Pose(x: 1, y: 2, yaw: 3, id: 4))
        XCTAssertEqual(sub.receive(timeout: 1)?.id, 4)
        XCTAssertEqual(sub.ring.capacity, 4, "a fresh ring of the asked capacity")
    }

    func testAGarbageFileOfOursAtAPoolNameIsReplaced() throws {
        let name = uniquePoolName("garbage")
        let p = "/dev/shm" + HorusNamespace.shmName(kind: "pool", name: name)
        try makeFile(p, mode: 0o600, bytes: [UInt8](repeating: 0xAB, count: 8192))
        let pool = try Pool.open(name: name, configuration: PoolConfiguration(classes: [.init(slotSize: 256, slotCount: 4)]))
        XCTAssertEqual(try pool.allocateSlot(byteCount: 10).slot, 0)
    }
}
