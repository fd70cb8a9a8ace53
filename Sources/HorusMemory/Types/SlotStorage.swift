/// One reference to a pool slot, owned by this process. The slot stays allocated while
/// any `SlotStorage` (in any process) refers to it; the last one returns it to the pool.
/// Tensors and their views share one `SlotStorage`, so a view keeps its slot alive.
///
/// A receiver's `SlotStorageCache` may re-point an object that only the cache still
/// holds at a new slot (see there); an object any view holds never changes. Its fields
/// therefore skip dynamic exclusivity checks (a runtime call per access otherwise): they
/// are written only while nothing but the cache can reach the object.
public final class SlotStorage: @unchecked Sendable {
    /// The pool the slot is in. Unowned: a pool cannot be closed while this process holds
    /// a reference on one of its slots (`Pool.close` refuses), so it outlives this storage.
    public var pool: Pool { poolReference.takeUnretainedValue() }
    /// (Unmanaged rather than unowned(unsafe): a method call through an unowned(unsafe)
    /// reference retains and releases it around the call, two atomic operations.)
    @exclusivity(unchecked) private var poolReference: Unmanaged<Pool>
    @exclusivity(unchecked) public private(set) var slot: UInt32
    @exclusivity(unchecked) public private(set) var generation: UInt32
    /// Start of the slot's data.
    @exclusivity(unchecked) public private(set) var base: UnsafeMutableRawPointer
    /// Bytes of the slot this allocation owns (views must stay inside).
    @exclusivity(unchecked) public private(set) var byteCount: Int
    /// False once a cache released the slot of an object no view held (`releaseSlot`).
    @exclusivity(unchecked) private var holdsSlot = true

    /// Adopts a reference the caller already holds (from allocate or tryRetain).
    init(adopting pool: Pool, slot: UInt32, generation: UInt32, byteCount: Int) {
        poolReference = Unmanaged.passUnretained(pool)
        self.slot = slot
        self.generation = generation
        self.base = pool.dataPointer(slot: slot)
        self.byteCount = byteCount
    }

    /// Adopts a reference the caller holds, with the slot's data address already
    /// computed (by the descriptor check, from the pool's local geometry).
    @usableFromInline
    init(adopting pool: Pool, slot: UInt32, generation: UInt32, base: UnsafeMutableRawPointer, byteCount: Int) {
        poolReference = Unmanaged.passUnretained(pool)
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

    /// Allocates a slot of at least `byteCount` bytes in `pool` into an object whose single
    /// owner holds the only reference and that holds no slot (`releaseSlot` ran): a C ABI
    /// handle reusing its storage object for the next loan instead of allocating one.
    package func reallocate(byteCount: Int, in pool: Pool) throws {
        precondition(!holdsSlot, "reallocate on a storage that still holds its slot")
        let a = try pool.allocateSlot(byteCount: byteCount)
        readopt(pool, slot: a.slot, generation: a.generation, base: pool.dataPointer(slot: a.slot), byteCount: byteCount)
    }

    /// Releases the slot reference of an object only its single owner (a
    /// `SlotStorageCache`, a C ABI handle) holds.
    package func releaseSlot() {
        if holdsSlot { poolReference._withUnsafeGuaranteedRef { $0.release(slot: slot) } }
        holdsSlot = false
    }

    /// Re-points an object only a `SlotStorageCache` holds at another slot, adopting the
    /// reference the caller holds (the old slot's reference is released first).
    func readopt(_ pool: Pool, slot: UInt32, generation: UInt32, base: UnsafeMutableRawPointer, byteCount: Int) {
        releaseSlot()
        poolReference = Unmanaged.passUnretained(pool)
        self.slot = slot
        self.generation = generation
        self.base = base
        self.byteCount = byteCount
        holdsSlot = true
    }

    deinit { if holdsSlot { poolReference._withUnsafeGuaranteedRef { $0.release(slot: slot) } } }
}
