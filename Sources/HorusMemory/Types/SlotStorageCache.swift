/// Storage objects a single-owner receiver (a topic subscriber) reuses for the samples it
/// decodes, so a steady receive loop allocates no `SlotStorage` per message.
///
/// Soundness: the cache is used by one thread at a time (its owner, e.g. a subscriber,
/// which is a cursor used by one thread at a time). An entry is reused only when
/// `isKnownUniquelyReferenced` says the cache's reference is the only one. No other
/// thread can then add a reference (nobody else holds one to copy; `SlotStorage` has no
/// weak references), so unique stays unique; the check's acquiring load pairs with the
/// releasing decrement of the thread that dropped the last view (the ordering
/// copy-on-write relies on), so that thread's reads of the object happen before it is
/// re-pointed. A view the user kept keeps its entry non-unique, so its object and slot
/// never change.
///
/// An entry no view holds still holds its last slot until the owner's next decode or
/// `releaseIdle()` (a subscriber calls it whenever it finds nothing to receive).
public struct SlotStorageCache {
    @usableFromInline static let capacity = 2
    private var entries: (SlotStorage?, SlotStorage?) = (nil, nil)
    /// What each entry's object holds a reference on, as plain values, so a lookup reads
    /// no object (binding one is a retain and a release). Kept in step by this cache,
    /// the only code that re-points or releases its objects.
    private var held: (Allocation, Allocation) = (.none, .none)
    /// The entry replaced when none is free.
    private var next = 0

    /// One slot allocation as a lookup key: the pool object's address, slot and
    /// generation, byte count. A zero pool address: no reference held.
    private struct Allocation: Equatable {
        var pool: UInt
        var slot: UInt32
        var generation: UInt32
        var byteCount: Int
        static let none = Allocation(pool: 0, slot: 0, generation: 0, byteCount: 0)

        @inline(__always)
        init(pool: UInt, slot: UInt32, generation: UInt32, byteCount: Int) {
            self.pool = pool
            self.slot = slot
            self.generation = generation
            self.byteCount = byteCount
        }

        @inline(__always)
        init(_ pool: Pool, slot: UInt32, generation: UInt32, byteCount: Int) {
            self.init(pool: UInt(bitPattern: Unmanaged.passUnretained(pool).toOpaque()), slot: slot, generation: generation, byteCount: byteCount)
        }
    }

    public init() {}

    /// A storage adopting the slot reference the caller holds: a cached object no view
    /// holds any more, re-pointed, or a new object that the cache then keeps.
    mutating func adopt(_ pool: Pool, slot: UInt32, generation: UInt32, base: UnsafeMutableRawPointer, byteCount: Int) -> SlotStorage {
        let key = Allocation(pool, slot: slot, generation: generation, byteCount: byteCount)
        if isKnownUniquelyReferenced(&entries.0) {  // (false for nil)
            let s = entries.0.unsafelyUnwrapped  // the one retain: the caller's reference
            s.readopt(pool, slot: slot, generation: generation, base: base, byteCount: byteCount)
            held.0 = key
            return s
        }
        if isKnownUniquelyReferenced(&entries.1) {
            let s = entries.1.unsafelyUnwrapped  // the one retain: the caller's reference
            s.readopt(pool, slot: slot, generation: generation, base: base, byteCount: byteCount)
            held.1 = key
            return s
        }
        let s = SlotStorage(adopting: pool, slot: slot, generation: generation, base: base, byteCount: byteCount)
        if next == 0 { entries.0 = s; held.0 = key } else { entries.1 = s; held.1 = key }
        next ^= 1
        return s
    }

    /// The entry that holds a reference on exactly this allocation (pool, slot,
    /// generation, byte count), if any: a sample received again (re-published) shares it
    /// without taking another reference, so the slot's shared header is not touched. A
    /// held reference keeps the slot allocated, so the generation cannot have moved on.
    @inline(__always)
    func holding(_ pool: Pool, slot: UInt32, generation: UInt32, byteCount: Int) -> SlotStorage? {
        let key = Allocation(pool, slot: slot, generation: generation, byteCount: byteCount)
        if held.0 == key { return entries.0 }
        if held.1 == key { return entries.1 }
        return nil
    }

    /// Releases the slots of entries no view holds any more (the objects stay cached).
    public mutating func releaseIdle() {
        if held.0 != .none, isKnownUniquelyReferenced(&entries.0) { entries.0.unsafelyUnwrapped.releaseSlot(); held.0 = .none }
        if held.1 != .none, isKnownUniquelyReferenced(&entries.1) { entries.1.unsafelyUnwrapped.releaseSlot(); held.1 = .none }
    }

    /// Drops every entry (an entry a view still holds lives on with that view).
    public mutating func clear() {
        entries = (nil, nil)
        held = (.none, .none)
    }
}
