import Atomics
#if canImport(Glibc)
import Glibc
#endif

/// The pools attached in this process, found by name (on open) and by id (when a
/// descriptor is decoded). Lookup by id is lock-free: entries are append-only and pools
/// stay attached until the process exits, when every pool is detached (and removed from
/// /dev/shm if this was its last process).
public final class PoolRegistry: @unchecked Sendable {
    public static let shared = PoolRegistry()
    /// `shared` without reference counting, for the decode hot path (the registry lives
    /// for the whole process).
    public static let unmanagedShared = Unmanaged.passUnretained(shared)

    private static let capacity = 64
    private let ids: UnsafeMutablePointer<UnsafeAtomic<UInt32>.Storage>
    private let pools: UnsafeMutablePointer<Unmanaged<Pool>?>
    private let count = UnsafeAtomic<Int>.create(0)
    private var mutex = pthread_mutex_t()

    private init() {
        ids = .allocate(capacity: Self.capacity)
        ids.initialize(repeating: .init(0), count: Self.capacity)
        pools = .allocate(capacity: Self.capacity)
        pools.initialize(repeating: nil, count: Self.capacity)
        pthread_mutex_init(&mutex, nil)
        atexit { PoolRegistry.shared.detachAll() }
    }

    /// The attached pool with this id, if any. Lock-free.
    @inline(__always)
    public func pool(id: UInt32) -> Pool? { unretainedPool(id: id)?.takeUnretainedValue() }

    /// `pool(id:)` without a retain, for the decode hot path. Safe because registered
    /// pools are never released before the process exits.
    @inline(__always)
    public func unretainedPool(id: UInt32) -> Unmanaged<Pool>? {
        let n = count.load(ordering: .acquiring)
        var i = 0
        while i < n {
            if UnsafeAtomic<UInt32>(at: ids + i).load(ordering: .relaxed) == id { return pools[i] }
            i += 1
        }
        return nil
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
        pools[n] = Unmanaged.passRetained(p)
        UnsafeAtomic<UInt32>(at: ids + n).store(p.id, ordering: .relaxed)
        count.store(n + 1, ordering: .releasing)
        return p
    }

    /// Detaches every pool (process exit).
    public func detachAll() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let n = count.load(ordering: .acquiring)
        for i in 0..<n { pools[i]?.takeUnretainedValue().detach() }
    }
}
