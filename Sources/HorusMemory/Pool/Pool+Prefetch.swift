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

    /// `prefetchSlotHeader`, plus the line at `dataOffset` in the slot's data (for
    /// reading), skipped when the offset is not inside the slot. A hint only.
    @inline(__always)
    public func prefetchSlot(_ slot: UInt32, dataOffset: UInt64) {
        prefetchSlotHeader(slot)
        guard Int(slot) < totalSlots else { return }
        let data = slotData(Int(slot))
        if dataOffset < UInt64(data.size) { horus_prefetch_read(UnsafeRawPointer(data.start + Int(dataOffset))) }
    }
}
