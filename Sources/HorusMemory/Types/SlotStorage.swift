/// One reference to a pool slot, owned by this process. The slot stays allocated while
/// any `SlotStorage` (in any process) refers to it; the last one returns it to the pool.
/// Tensors and their views share one `SlotStorage`, so a view keeps its slot alive.
public final class SlotStorage: @unchecked Sendable {
    /// The pool the slot is in. Unowned: a pool cannot be closed while this process holds
    /// a reference on one of its slots (`Pool.close` refuses), so it outlives this storage.
    public unowned(unsafe) let pool: Pool
    public let slot: UInt32
    public let generation: UInt32
    /// Start of the slot's data.
    public let base: UnsafeMutableRawPointer
    /// Bytes of the slot this allocation owns (views must stay inside).
    public let byteCount: Int

    /// Adopts a reference the caller already holds (from allocate or tryRetain).
    init(adopting pool: Pool, slot: UInt32, generation: UInt32, byteCount: Int) {
        self.pool = pool
        self.slot = slot
        self.generation = generation
        self.base = pool.dataPointer(slot: slot)
        self.byteCount = byteCount
    }

    /// Adopts a reference the caller holds, with the slot's data address already
    /// computed (by the descriptor check, from the pool's local geometry).
    @usableFromInline
    init(adopting pool: Pool, slot: UInt32, generation: UInt32, base: UnsafeMutableRawPointer, byteCount: Int) {
        self.pool = pool
        self.slot = slot
        self.generation = generation
        self.base = base
        self.byteCount = byteCount
    }

    /// Allocates a slot of at least `byteCount` bytes in `pool`.
    public static func allocate(byteCount: Int, in pool: Pool) throws -> SlotStorage {
        let a = try pool.allocateSlot(byteCount: byteCount)
        return SlotStorage(adopting: pool, slot: a.slot, generation: a.generation, byteCount: byteCount)
    }

    deinit { pool.release(slot: slot) }
}
