import Atomics
import CHorus
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// The pools attached in this process, found by name (on open) and by id (when a
/// descriptor is decoded). Lookup by id is lock-free, in the C `horus_pool_table` the
/// descriptor check reads. Pools stay attached until they are closed (`Pool.close`) or
/// the process exits, when every pool is detached (and removed from /dev/shm if this
/// was its last process).
public final class PoolRegistry: @unchecked Sendable {
    public static let shared = PoolRegistry()

    private static let capacity = Int(HORUS_POOL_TABLE_CAPACITY)
    /// Attached pools (mutex held). The registry's reference keeps each pool, and the
    /// unretained object the C table hands out, alive until it is closed.
    private var pools: [Pool] = []
    private let mutex = Mutex()

    private init() {
        atexit { PoolRegistry.shared.detachAll() }
    }

    /// The attached pool with this id, if any. Lock-free.
    @inline(__always)
    public func pool(id: UInt32) -> Pool? { unretainedPool(id: id)?.takeUnretainedValue() }

    /// `pool(id:)` without a retain. Safe while the pool is not closed: the registry
    /// holds it until then.
    @inline(__always)
    public func unretainedPool(id: UInt32) -> Unmanaged<Pool>? {
        var object: UnsafeMutableRawPointer?
        guard horus_pool_table_find(id, &object) != nil, let object else { return nil }
        return Unmanaged<Pool>.fromOpaque(object)
    }

    /// The attached pool with this name, if any.
    public func pool(named name: String) -> Pool? {
        mutex.withLock { pools.first { $0.name == name } }
    }

    func open(name: String, _ make: () throws -> Pool) throws -> Pool {
        try mutex.withLock {
            if let p = pools.first(where: { $0.name == name }) { return p }
            guard pools.count < Self.capacity else {
                throw PoolError.invalidConfiguration(pool: name, reason: "more than \(Self.capacity) pools attached in one process")
            }
            let p = try make()
            pools.append(p)
            // Under the mutex, like every add and remove.
            guard horus_pool_table_add(p.id, p.geometry, Unmanaged.passUnretained(p).toOpaque()) == 0 else {
                preconditionFailure("horus_pool_table is full (\(Self.capacity) pools)")
            }
            return p
        }
    }

    /// Closes `pool` (see `Pool.close`): out of the tables first, so no new lookup finds
    /// it, then detached; the registry's reference goes last.
    func close(_ pool: Pool) throws {
        try mutex.withLock {
            guard let index = pools.firstIndex(where: { $0 === pool }) else { return }  // closed already
            let held = pool.referencesHeldByThisProcess
            guard held == 0 else { throw PoolError.inUse(pool: pool.name, references: held) }
            horus_pool_table_remove(pool.id)
            pools.remove(at: index)
            pool.markClosed()
            pool.detach()
        }
    }

    /// Detaches every pool (process exit).
    public func detachAll() {
        mutex.withLock {
            horus_pool_table_clear()  // no decode reaches a detached pool
            for p in pools { p.detach() }
        }
    }
}
