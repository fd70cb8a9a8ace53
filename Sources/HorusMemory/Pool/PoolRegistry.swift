import Atomics
import CHorus
#if canImport(Glibc)
import Glibc
#endif

/// The pools attached in this process, found by name (on open) and by id (when a
/// descriptor is decoded). Lookup by id is lock-free, in the C `horus_pool_table` the
/// descriptor check reads: entries are append-only and pools stay attached until the
/// process exits, when every pool is detached (and removed from /dev/shm if this was its
/// last process).
public final class PoolRegistry: @unchecked Sendable {
    public static let shared = PoolRegistry()

    private static let capacity = Int(HORUS_POOL_TABLE_CAPACITY)
    private let pools: UnsafeMutablePointer<Unmanaged<Pool>?>
    private let count = UnsafeAtomic<Int>.create(0)
    private var mutex = pthread_mutex_t()

    private init() {
        pools = .allocate(capacity: Self.capacity)
        pools.initialize(repeating: nil, count: Self.capacity)
        pthread_mutex_init(&mutex, nil)
        atexit { PoolRegistry.shared.detachAll() }
    }

    /// The attached pool with this id, if any. Lock-free.
    @inline(__always)
    public func pool(id: UInt32) -> Pool? { unretainedPool(id: id)?.takeUnretainedValue() }

    /// `pool(id:)` without a retain. Safe because registered pools are never released
    /// before the process exits.
    @inline(__always)
    public func unretainedPool(id: UInt32) -> Unmanaged<Pool>? {
        var object: UnsafeMutableRawPointer?
        guard horus_pool_table_find(id, &object) != nil, let object else { return nil }
        return Unmanaged<Pool>.fromOpaque(object)
    }

    /// The attached pool with this name, if any.
    public func pool(named name: String) -> Pool? {
        let n = count.load(ordering: .acquiring)
        for i in 0..<n where pools[i]?.takeUnretainedValue().name == name { return pools[i]?.takeUnretainedValue() }
        return nil
    }

    func open(name: String, _ make: () throws -> Pool) throws -> Pool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let p = pool(named: name) { return p }
        let n = count.load(ordering: .relaxed)
        guard n < Self.capacity else {
            throw PoolError.invalidConfiguration(pool: name, reason: "more than \(Self.capacity) pools attached in one process")
        }
        let p = try make()
        let object = Unmanaged.passRetained(p)
        pools[n] = object
        count.store(n + 1, ordering: .releasing)
        // Under the mutex, like every add; the table and `pools` fill in the same order.
        guard horus_pool_table_add(p.id, p.geometry, object.toOpaque()) == 0 else {
            preconditionFailure("horus_pool_table is full (\(Self.capacity) pools)")
        }
        return p
    }

    /// Detaches every pool (process exit).
    public func detachAll() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        horus_pool_table_clear()  // no decode reaches a detached pool
        let n = count.load(ordering: .acquiring)
        for i in 0..<n { pools[i]?.takeUnretainedValue().detach() }
    }
}
