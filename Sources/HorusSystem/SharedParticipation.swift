#if canImport(Glibc)
import Glibc
#endif

/// The lifecycle every participant-counted shared-memory object follows (pools and topic
/// rings): open or create the segment, reclaim the rows of dead processes, take over a
/// leftover whose processes all died, claim a row; and on leaving, return this
/// process's row and remove the segment when it was the last.
///
/// The caller describes its object with closures; every closure runs with the segment's
/// flock held.
package enum SharedParticipation {
    /// How `join` treats an existing segment whose every participant is dead.
    package enum Leftover {
        /// Remove it (after `abandon`) and create a fresh one.
        case takeOver
        /// Join it as it is (attaching without a configuration to create with).
        case join
    }

    /// The object `join` opened: its segment (unlocked), what `read` made of it, whether
    /// this call created it, and the row claimed for this process.
    package struct Joined<Object> {
        package let segment: SharedMemorySegment
        package let object: Object
        package let created: Bool
        package let row: Int
    }

    /// Opens (creating with `createSize` when it is not nil) the segment `name` and joins it.
    /// - `initialize`: writes the header of a segment this call created.
    /// - `read`: validates the header and returns the object over the segment; throws
    ///   when it is not a usable one.
    /// - `table`: the object's participant table.
    /// - `onDead`: returns what a dead process's row held (called before the row is freed).
    /// - `abandon`: returns what a leftover segment holds, before it is removed.
    /// - `accept`: checks an existing, live object against what the caller asked for.
    /// - `full`: the error when every row is taken by a live process.
    ///
    /// With `.takeOver` and a `createSize`, an existing segment whose first word is not
    /// `magic` is replaced too (with a warning on stderr): creators write the magic last
    /// with the flock held, which this call holds, so such a segment is garbage or the
    /// remains of a creator that died initializing it, never one being set up.
    package static func join<Object>(
        name: String, createSize: Int?, leftover: Leftover, magic: UInt64? = nil,
        initialize: (SharedMemorySegment) -> Void,
        read: (SharedMemorySegment) throws -> Object,
        table: (Object) -> ParticipantTable,
        onDead: (Object, Int) -> Void = { _, _ in },
        abandon: (Object) -> Void = { _ in },
        accept: (Object) throws -> Void = { _ in },
        full: (Object) -> Error
    ) throws -> Joined<Object> {
        while true {
            let opened = try SharedMemorySegment.openLocked(name: name, createSize: createSize)
            let segment = opened.segment
            defer { segment.unlock() }
            if opened.created { initialize(segment) }
            if !opened.created, leftover == .takeOver, createSize != nil, let magic,
               segment.size < 8 || segment.base.load(as: UInt64.self) != magic {
                fputs("horus: warning: replacing \(name): \(segment.size) bytes that are not a horus segment "
                      + "(no magic word; garbage, or left by a creator that died setting it up)\n", stderr)
                segment.unlink()
                continue
            }
            let object = try read(segment)
            let rows = table(object)
            if !opened.created {
                let live = rows.reclaimDead { onDead(object, $0) }
                if live == 0 && leftover == .takeOver {
                    // Leftover of crashed processes: return what it holds, start fresh.
                    abandon(object)
                    segment.unlink()
                    continue
                }
                try accept(object)
            }
            guard let row = rows.claim() else { throw full(object) }
            return Joined(segment: segment, object: object, created: opened.created, row: row)
        }
    }

    /// What `removeIfAbandoned` did with a segment.
    package enum Sweep: Equatable {
        /// Removed: every participant was dead (`dead` rows were reclaimed first).
        case removed(dead: Int)
        /// Removed: not a horus segment of this kind (no magic word; see `join`).
        case removedGarbage(bytes: Int)
        /// Kept: this many live processes use it.
        case inUse(live: Int)
    }

    /// Removes the segment `name` when no live process uses it (crashed graphs leave such
    /// segments): with the flock held, reclaims dead rows (`onDead`), and when none is
    /// left calls `abandon` and unlinks the name. A segment without `magic` is removed as
    /// garbage. Throws what opening or `read` throws (a segment of another layout stays).
    package static func removeIfAbandoned<Object>(
        name: String, magic: UInt64,
        read: (SharedMemorySegment) throws -> Object,
        table: (Object) -> ParticipantTable,
        onDead: (Object, Int) -> Void = { _, _ in },
        abandon: (Object) -> Void = { _ in }
    ) throws -> Sweep {
        let segment = try SharedMemorySegment.openLocked(name: name, createSize: nil).segment
        defer { segment.unlock() }
        if segment.size < 8 || segment.base.load(as: UInt64.self) != magic {
            segment.unlink()
            return .removedGarbage(bytes: segment.size)
        }
        let object = try read(segment)
        let rows = table(object)
        var dead = 0
        let live = rows.reclaimDead {
            dead += 1
            onDead(object, $0)
        }
        guard live == 0 else { return .inUse(live: live) }
        abandon(object)
        segment.unlink()
        return .removed(dead: dead)
    }

    /// Leaves an object joined with `join`: returns this process's row (`onDead` is called
    /// for it as for a dead process's), reclaims dead rows, and when no live process is
    /// left calls `last` and removes the segment's name.
    package static func leave(segment: SharedMemorySegment, table: ParticipantTable, row: Int,
                              onDead: (Int) -> Void = { _ in }, last: () -> Void = {}) {
        segment.withLock {
            onDead(row)
            table.vacate(row)
            if table.reclaimDead(onDead) == 0 {
                last()
                segment.unlink()
            }
        }
    }
}
