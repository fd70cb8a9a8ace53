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
    /// The entry replaced when none is free.
    private var next = 0

    public init() {}

    /// A storage adopting the slot reference the caller holds: a cached object no view
    /// holds any more, re-pointed, or a new object that the cache then keeps.
    mutating func adopt(_ pool: Pool, slot: UInt32, generation: UInt32, base: UnsafeMutableRawPointer, byteCount: Int) -> SlotStorage {
        if isKnownUniquelyReferenced(&entries.0) {  // (false for nil)
            entries.0.unsafelyUnwrapped.readopt(pool, slot: slot, generation: generation, base: base, byteCount: byteCount)
            return entries.0.unsafelyUnwrapped
        }
        if isKnownUniquelyReferenced(&entries.1) {
            entries.1.unsafelyUnwrapped.readopt(pool, slot: slot, generation: generation, base: base, byteCount: byteCount)
            return entries.1.unsafelyUnwrapped
        }
        let s = SlotStorage(adopting: pool, slot: slot, generation: generation, base: base, byteCount: byteCount)
        if next == 0 { entries.0 = s } else { entries.1 = s }
        next ^= 1
        return s
    }

    /// The entry that holds a reference on exactly this allocation (pool, slot,
    /// generation, byte count), if any: a sample received again (re-published) shares it
    /// without taking another reference, so the slot's shared header is not touched. A
    /// held reference keeps the slot allocated, so the generation cannot have moved on.
    @inline(__always)
    mutating func holding(_ pool: Pool, slot: UInt32, generation: UInt32, byteCount: Int) -> SlotStorage? {  // (mutating: used in place, the entries not copied)
        if let e = entries.0, e.holds(pool, slot: slot, generation: generation, byteCount: byteCount) { return e }
        if let e = entries.1, e.holds(pool, slot: slot, generation: generation, byteCount: byteCount) { return e }
        return nil
    }

    /// Releases the slots of entries no view holds any more (the objects stay cached).
    public mutating func releaseIdle() {
        if isKnownUniquelyReferenced(&entries.0) { entries.0.unsafelyUnwrapped.releaseSlot() }
        if isKnownUniquelyReferenced(&entries.1) { entries.1.unsafelyUnwrapped.releaseSlot() }
    }

    /// Drops every entry (an entry a view still holds lives on with that view).
    public mutating func clear() { entries = (nil, nil) }
}
