import Atomics
import CHorus
import HorusMemory

/// Helpers of the publish / receive hot paths: descriptor field offsets inside an
/// entry's message bytes, cache-line prefetches, and reference drops by (pool, slot).
extension TopicRing {
    /// Byte offset of the pool id in a descriptor entry's message.
    @inline(__always) static var poolIDOffset: Int { MemoryLayout<horus_descriptor>.offset(of: \.pool_id)! }  // folded to a constant; a static let would cost a swift_once per use
    /// Byte offset of the slot index in a descriptor entry's message.
    @inline(__always) static var slotOffset: Int { MemoryLayout<horus_descriptor>.offset(of: \.slot)! }
    /// Byte offset of the data offset (inside the slot) in a descriptor entry's message.
    @inline(__always) static var dataOffsetOffset: Int { MemoryLayout<horus_descriptor>.offset(of: \.offset)! }

    /// Starts taking the cache lines of an entry (sequence word and message; from byte
    /// `first` on) for writing, so their misses overlap with the work before the writes.
    @inline(__always)
    func prefetchEntryForWrite(_ ticket: UInt64, from first: Int = 0) {
        forEachLine(of: ticket, from: first) { horus_prefetch_write($0) }
    }

    /// Starts reading the message lines of an entry after the first (the first holds
    /// the sequence word the reader just loaded), so they arrive together.
    @inline(__always)
    func prefetchEntryForRead(_ ticket: UInt64) {
        forEachLine(of: ticket, from: 64) { horus_prefetch_read($0) }
    }

    /// Calls `body` with the start of each 64-byte line of a ticket's entry, from byte
    /// `first` on.
    @inline(__always)
    private func forEachLine(of ticket: UInt64, from first: Int, _ body: (UnsafeRawPointer) -> Void) {
        let start = UnsafeRawPointer(entries + Int(ticket & UInt64(mask)) * stride)
        var offset = first
        while offset < stride {
            body(start + offset)
            offset &+= 64
        }
    }

    /// Drops the ring's reference on `slot` of pool `poolID` (read from an entry before
    /// it was overwritten). `cached` (the endpoint's `PoolCache`, which holds the pool) is
    /// tried before the registry lookup.
    @inline(__always)
    func releaseEntryReference(pool poolID: UInt32, slot: UInt32, cached: Unmanaged<Pool>?) {
        if let cached, cached._withUnsafeGuaranteedRef({ $0.id == poolID }) {
            cached._withUnsafeGuaranteedRef { release(slot: slot, in: $0) }
        } else if let pool = self.pool(id: poolID) {
            release(slot: slot, in: pool)
        }
    }

    /// Drops the ring's reference on `slot`, an index read from shared memory (checked).
    @inline(__always)
    private func release(slot: UInt32, in pool: Pool) {
        guard Int(slot) < pool.slotCount else { return }
        pool.releaseShared(slot: slot)
    }
}
