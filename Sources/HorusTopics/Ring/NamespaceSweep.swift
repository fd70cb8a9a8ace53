import HorusMemory
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// Removes the segments of this namespace that no live process uses any more (left by
/// graphs that crashed or were killed): topics first, returning the pool references their
/// entries hold, then pools. Runs once per process at its first topic open, and on demand
/// (`horus-run clean`).
public enum NamespaceSweep {
    /// One segment the sweep looked at, and what it did.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// The file in /dev/shm.
        public let file: String
        /// True when the segment was removed.
        public let removed: Bool
        /// Why (removed: whose processes died; kept: who uses it, or why it was not touched).
        public let reason: String
        public var description: String { "\(removed ? "removed" : "kept") /dev/shm/\(file): \(reason)" }
    }

    /// Sweeps the namespace now; one outcome per horus segment found.
    @discardableResult
    public static func run() -> [Outcome] {
        let files = HorusNamespace.files
        let topics = files.filter { $0.hasPrefix(HorusNamespace.filePrefix + "topic-") }
        let pools = files.filter { $0.hasPrefix(HorusNamespace.filePrefix + "pool-") }
        let poolName = { (file: String) in String(file.dropFirst((HorusNamespace.filePrefix + "pool-").count)) }
        let attachedBefore = Set(pools.map(poolName).filter { PoolRegistry.shared.pool(named: $0) != nil })
        let swept = topics.compactMap { sweep($0, TopicRing.removeIfAbandoned) }
        return swept + pools.compactMap { file in
            // A pool the topic sweep attached (to return entries' references) and only this
            // process uses: leaving it removes it.
            let name = poolName(file)
            if !attachedBefore.contains(name), let pool = PoolRegistry.shared.pool(named: name),
               pool.attachedProcessCount == 1, (try? pool.close()) != nil {
                return Outcome(file: file, removed: true, reason: "no live process (its topics' references returned)")
            }
            return sweep(file, Pool.removeIfAbandoned)
        }
    }

    private static func sweep(_ file: String, _ remove: (String) throws -> SharedParticipation.Sweep) -> Outcome? {
        do {
            switch try remove(file) {
            case let .removed(dead):
                return Outcome(file: file, removed: true, reason: "no live process (\(dead) dead participant\(dead == 1 ? "" : "s") reclaimed)")
            case let .removedGarbage(bytes):
                return Outcome(file: file, removed: true, reason: "not a horus segment (\(bytes) bytes without a magic word)")
            case let .inUse(live):
                return Outcome(file: file, removed: false, reason: "in use by \(live) live process\(live == 1 ? "" : "es")")
            }
        } catch let e as SystemError where e.code == ENOENT {
            return nil  // removed meanwhile, or still empty (being created)
        } catch {
            return Outcome(file: file, removed: false, reason: "\(error)")
        }
    }

    /// The sweep a process runs once, before its first topic opens.
    static let once: Void = { _ = run() }()
}
