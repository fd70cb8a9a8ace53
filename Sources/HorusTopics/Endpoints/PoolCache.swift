import HorusMemory

/// The pool of the last message an endpoint handled, so the publish and receive hot
/// paths skip the registry lookup. The cache holds the pool (a retain when it changes,
/// none per message): a pool closed meanwhile stays valid memory, and `matching` sends
/// the caller back to the registry for it.
struct PoolCache {
    private(set) var id: UInt32 = 0
    /// Retained (released by `set` and `clear`).
    private(set) var pool: Unmanaged<Pool>?

    /// The cached pool when it has this id and is still open.
    @inline(__always)
    func matching(_ id: UInt32) -> Unmanaged<Pool>? {
        guard id == self.id, let pool, pool._withUnsafeGuaranteedRef({ $0.isOpen }) else { return nil }
        return pool
    }

    /// Caches `pool` (found by `id`).
    mutating func set(_ id: UInt32, _ pool: Pool) {
        let old = self.pool
        self.pool = Unmanaged.passRetained(pool)
        self.id = id
        old?.release()
    }

    /// Drops the cached pool (the endpoint's deinit).
    mutating func clear() {
        pool?.release()
        pool = nil
        id = 0
    }
}
