#if canImport(Glibc)
import Atomics
import Glibc
#endif

/// The table of processes using a shared-memory object (a pool's process table, a
/// ring's participants): one row per process, found dead by pid + start time.
///
/// The table is a view of rows inside a mapping; whoever holds it keeps the segment
/// alive. Every row starts with the identity prefix the C headers fix for both tables
/// (`horus_pool_process`, `horus_ring_participant`): `int32 pid` at offset 0 (atomic;
/// 0 = free row) and `uint64 start_time` at offset 8. Bytes after the prefix belong to
/// the owner of the table (bytes 4..<8 too). Rows are claimed and vacated with the segment's flock held;
/// reading them (`liveRows`, `identity`) needs no lock.
package struct ParticipantTable {
    /// Bytes of the identity prefix every row starts with.
    package static let identityBytes = 16

    /// Start of row 0.
    package let rows: UnsafeMutableRawPointer
    /// Rows in the table.
    package let count: Int
    /// Bytes from one row to the next (at least `identityBytes`).
    package let stride: Int

    package init(rows: UnsafeMutableRawPointer, count: Int, stride: Int) {
        precondition(stride >= Self.identityBytes && count >= 0)
        self.rows = rows
        self.count = count
        self.stride = stride
    }

    /// The start of row `i` (the identity prefix, then the owner's fields).
    package func row(_ i: Int) -> UnsafeMutableRawPointer { rows + i * stride }

    @inline(__always) private func pidWord(_ i: Int) -> UnsafeAtomic<Int32> { atomicI32(row(i)) }

    /// The process recorded in row `i`, or nil for a free row. Dead processes included.
    package func identity(_ i: Int) -> ProcessIdentity? {
        let pid = pidWord(i).load(ordering: .acquiring)
        guard pid != 0 else { return nil }
        return ProcessIdentity(pid: pid, startTime: row(i).load(fromByteOffset: 8, as: UInt64.self))
    }

    /// Rows of processes that are alive (a reused pid with another start time is dead).
    package var liveRows: [Int] { (0..<count).filter { identity($0)?.isAlive == true } }

    /// Claims a free row for this process (flock held): the row's other bytes (the
    /// owner's fields) are zeroed and its start time written before the pid is
    /// published. Nil when every row is taken.
    package func claim() -> Int? {
        let me = ProcessIdentity.current
        for i in 0..<count where pidWord(i).load(ordering: .acquiring) == 0 {
            memset(row(i) + 4, 0, stride - 4)
            row(i).storeBytes(of: me.startTime, toByteOffset: 8, as: UInt64.self)
            // The pid last: a reader that sees it sees the rest of the row.
            pidWord(i).store(me.pid, ordering: .releasing)
            return i
        }
        return nil
    }

    /// Frees row `i` (flock held).
    package func vacate(_ i: Int) { pidWord(i).store(0, ordering: .releasing) }

    /// Frees the rows of dead processes (flock held), calling `onDead` for each before it
    /// is freed so its owner can return what that process held. Returns the live rows left.
    @discardableResult
    package func reclaimDead(_ onDead: (Int) -> Void = { _ in }) -> Int {
        var live = 0
        for i in 0..<count {
            guard let who = identity(i) else { continue }
            if who.isAlive {
                live += 1
            } else {
                onDead(i)
                vacate(i)
            }
        }
        return live
    }
}
