import Foundation
import HorusSystem
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The one participant table of pools and rings: rows claimed and vacated, dead rows
/// found by pid + start time (an exited process, a reused pid), over a real segment.
final class ParticipantTableTests: XCTestCase {
    private let rowBytes = 24  // a ring participant's size: prefix + two owner words

    private func segment(_ tag: String, line: UInt = #line) throws -> SharedMemorySegment {
        let name = HorusNamespace.shmName(kind: "systest", name: "\(getpid())-\(tag)-\(line)")
        let opened = try SharedMemorySegment.openLocked(name: name, createSize: 4096)
        opened.segment.unlock()
        XCTAssertTrue(opened.created)
        return opened.segment
    }

    /// The pid of a child that has exited and been reaped.
    private func deadPid() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    func testClaimReclaimAndVacate() throws {
        let seg = try segment("rows")
        defer { seg.unlink() }
        let table = ParticipantTable(rows: seg.base, count: 4, stride: rowBytes)
        // Row 0: a process that exited. Row 1: a live pid with another start time (the pid
        // was reused). Both are dead to the table; their owner fields are left for onDead.
        seg.base.storeBytes(of: try deadPid(), as: Int32.self)
        seg.base.storeBytes(of: UInt64(12345), toByteOffset: 8, as: UInt64.self)
        (seg.base + rowBytes).storeBytes(of: getppid(), as: Int32.self)
        (seg.base + rowBytes).storeBytes(of: UInt64(1), toByteOffset: 8, as: UInt64.self)
        (seg.base + rowBytes).storeBytes(of: UInt32(7), toByteOffset: 16, as: UInt32.self)
        XCTAssertEqual(table.liveRows, [])

        let mine = try XCTUnwrap(table.claim())
        XCTAssertEqual(mine, 2, "the first free row; dead rows are not reused before they are reclaimed")
        XCTAssertEqual(table.identity(mine)?.pid, getpid())
        XCTAssertEqual(table.liveRows, [2])

        var returned: [Int] = []
        XCTAssertEqual(table.reclaimDead { row in
            returned.append(row)
            if row == 1 { XCTAssertEqual(table.row(1).load(fromByteOffset: 16, as: UInt32.self), 7, "owner fields readable in onDead") }
        }, 1, "one live row left")
        XCTAssertEqual(returned, [0, 1])
        XCTAssertNil(table.identity(0))
        XCTAssertNil(table.identity(1))

        // A claimed row's owner bytes start zeroed.
        let again = try XCTUnwrap(table.claim())
        XCTAssertEqual(again, 0)
        XCTAssertEqual(table.row(again).load(fromByteOffset: 16, as: UInt32.self), 0)
        table.vacate(again)
        table.vacate(mine)
        XCTAssertEqual(table.liveRows, [])
        XCTAssertNotNil(table.claim())
        XCTAssertNotNil(table.claim())
        XCTAssertNotNil(table.claim())
        XCTAssertNotNil(table.claim())
        XCTAssertNil(table.claim(), "every row taken by a live process")
    }

    /// join creates, the second join of the same name attaches, leave of the last
    /// participant removes the name; a leftover of dead processes is taken over.
    func testJoinLeaveAndTakeOver() throws {
        let name = HorusNamespace.shmName(kind: "systest", name: "\(getpid())-join")
        let path = "/dev/shm/" + name.dropFirst()
        func join() throws -> SharedParticipation.Joined<ParticipantTable> {
            try SharedParticipation.join(
                name: name, createSize: 4096, leftover: .takeOver,
                initialize: { $0.base.storeBytes(of: UInt64(0xABCD), toByteOffset: 4000, as: UInt64.self) },
                read: { ParticipantTable(rows: $0.base, count: 8, stride: self.rowBytes) },
                table: { $0 },
                full: { _ in SystemError("join", name, code: ENOSPC) })
        }
        let first = try join(), second = try join()
        XCTAssertTrue(first.created)
        XCTAssertFalse(second.created)
        XCTAssertNotEqual(first.row, second.row)
        XCTAssertEqual(second.segment.base.load(fromByteOffset: 4000, as: UInt64.self), 0xABCD)
        SharedParticipation.leave(segment: second.segment, table: second.object, row: second.row)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "one participant left")
        // The remaining row now names a dead process: the next join takes the segment over.
        first.segment.base.storeBytes(of: try deadPid(), toByteOffset: first.row * rowBytes, as: Int32.self)
        var abandoned = false
        let fresh = try SharedParticipation.join(
            name: name, createSize: 4096, leftover: .takeOver,
            initialize: { _ in }, read: { ParticipantTable(rows: $0.base, count: 8, stride: self.rowBytes) },
            table: { $0 }, abandon: { _ in abandoned = true }, full: { _ in SystemError("join", name, code: ENOSPC) })
        XCTAssertTrue(abandoned)
        XCTAssertTrue(fresh.created, "a new segment replaced the leftover")
        XCTAssertEqual(fresh.segment.base.load(fromByteOffset: 4000, as: UInt64.self), 0, "not the leftover's contents")
        SharedParticipation.leave(segment: fresh.segment, table: fresh.object, row: fresh.row)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "removed when the last participant left")
    }
}
