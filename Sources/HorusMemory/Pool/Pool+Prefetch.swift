import CHorus

extension Pool {
    /// Starts moving the header of `slot` (its reference count and generation) into this
    /// core's cache with intent to write, so the retain or release that follows does not
    /// wait for a full cross-core miss. A hint only: out-of-range slots are ignored.
    @inline(__always)
    public func prefetchSlotHeader(_ slot: UInt32) {
        guard Int(slot) < totalSlots else { return }
        horus_prefetch_write(UnsafeRawPointer(slots + Int(slot)))
    }
}
