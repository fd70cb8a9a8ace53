import Foundation
import HorusMemory
import HorusTopics
import HorusTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Opening and closing topics and pools gives back every file descriptor and mapping:
/// a long-running process that reconnects does not run out of descriptors.
final class ResourceLeakTests: XCTestCase {
    /// Open descriptors of this process.
    private func fdCount() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count }

    /// Mappings of this process (lines of /proc/self/maps), and those of them backed by a
    /// file (a path after the inode column: shm segments, libraries). Read to the end with
    /// read(2): the file reports size 0, and a one-shot read returns only its first page.
    private func mappingCount() throws -> (all: Int, fileBacked: Int) {
        let fd = open("/proc/self/maps", O_RDONLY)
        guard fd >= 0 else { throw SystemError("open", "/proc/self/maps") }
        defer { close(fd) }
        var text = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw SystemError("read", "/proc/self/maps") }
            if n == 0 { break }
            text += buffer[..<n]
        }
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
        // address perms offset dev inode [path]: a path is a 6th field starting with '/'.
        let fileBacked = lines.filter { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first?.hasPrefix("/") == true }
        return (lines.count, fileBacked.count)
    }

    /// Files of this test's shm objects still in /dev/shm.
    private func leftovers(_ tag: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/dev/shm").filter { $0.contains(tag) }
    }

    func testOpeningAndClosingTopicsAndPoolsAThousandTimesLeaksNoDescriptorOrMapping() throws {
        let tag = "t\(getpid())-leak"
        let topic = "/\(tag)/cam", plain = "/\(tag)/pose"
        let config = PoolConfiguration(classes: [.init(slotSize: 4096, slotCount: 4)], processCapacity: 4)
        // One cycle: a pool, an image topic and a plain topic opened, a message through
        // each (the endpoints' pool caches and the ring's reference on the slot included),
        // then everything closed.
        func cycle() throws {
            let pool = try Pool.open(name: "\(tag)-pool", configuration: config)
            do {
                let pub = try Publisher<Image>(topic: topic, capacity: 4)
                let sub = try Subscriber<Image>(topic: topic, waitPolicy: .spin)
                try pub.publish(try Image(height: 8, width: 8, encoding: .mono8, pool: pool, timestampNs: 1, frameID: "leak"))
                XCTAssertEqual(sub.tryReceive()?.timestampNs, 1)
                let posePub = try Publisher<Pose>(topic: plain)
                let poseSub = try Subscriber<Pose>(topic: plain)
                try posePub.publish(Pose(x: 1, y: 2, yaw: 3, id: 4))
                XCTAssertEqual(poseSub.tryReceive()?.id, 4)
            }
            XCTAssertEqual(pool.slotsInUse, 0, "the ring returned its reference when the topic was left")
            try pool.close()
            XCTAssertFalse(pool.isOpen)
        }
        try cycle()  // first use: lazily created process-wide state (registries, atexit hooks)
        let fds = try fdCount(), maps = try mappingCount()
        for _ in 0..<1000 { try cycle() }
        XCTAssertEqual(try fdCount(), fds, "descriptors after 1,000 open/close cycles")
        let after = try mappingCount()
        XCTAssertEqual(after.fileBacked, maps.fileBacked, "file-backed mappings (the segments) after 1,000 open/close cycles")
        // Anonymous mappings also come and go with the runtime's own threads (stacks, malloc
        // arenas); a leak here would be 3,000 (3 segments a cycle), not a handful.
        XCTAssertLessThanOrEqual(after.all, maps.all + 8, "all mappings after 1,000 open/close cycles")
        XCTAssertEqual(try leftovers(tag), [], "every segment removed when its last user left")
    }

    /// A pool whose slots this process still references cannot be closed; it closes once
    /// they are gone, and a later open of the name opens it afresh.
    func testClosingAPoolStillInUseIsRefusedAndNamesTheReferences() throws {
        let pool = try smallPool("inuse")
        var image: Image? = try Image(height: 4, width: 4, encoding: .mono8, pool: pool)
        XCTAssertThrowsError(try pool.close()) { error in
            XCTAssertEqual(error as? PoolError, .inUse(pool: pool.name, references: 1))
            XCTAssertTrue("\(error)".contains("'\(pool.name)'") && "\(error)".contains("1 reference"), "\(error)")
        }
        XCTAssertTrue(pool.isOpen)
        XCTAssertTrue(PoolRegistry.shared.pool(named: pool.name) === pool)
        XCTAssertNotNil(image)
        image = nil
        try pool.close()
        XCTAssertNil(PoolRegistry.shared.pool(named: pool.name))
        XCTAssertNil(PoolRegistry.shared.pool(id: pool.id), "descriptors of a closed pool find no pool")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/shm/" + HorusNamespace.shmName(kind: "pool", name: pool.name).dropFirst()))
        let again = try Pool.open(name: pool.name, configuration: pool.configuration)
        XCTAssertFalse(again === pool)
        XCTAssertEqual(again.id, pool.id)
        try again.close()
    }
}
