import Synchronization

/// Handles waiting to be reused by one endpoint (or by the creation functions): a
/// receive takes one instead of allocating, and the last horus_tensor_release of a
/// handle puts it back, so a steady publish/receive loop allocates no handle objects.
///
/// Lock-free: each of the `capacity` slots holds 0 or the address of one idle handle,
/// whose own Swift reference (+1) the slot owns; push and pop exchange one slot word.
/// `close` (the endpoint went away) empties the slots and makes later pushes release
/// their handle instead; a push racing with close takes its handle back if close did
/// not see it.
final class HandleCache: @unchecked Sendable {
    static let capacity = 4
    private let slots: InlineArray<4, Atomic<Int>>
    private let closed = Atomic<Bool>(false)

    /// The cache of handles made by horus_*_create / _loan / _from_bytes (never closed).
    static let creation = HandleCache(keepsStorage: true)

    /// True when a released handle of this cache keeps its storage object (uniquely held,
    /// its slot released) for the next loan: the creation cache. A received sample's
    /// storage belongs to its subscriber's storage cache instead.
    let keepsStorage: Bool

    init(keepsStorage: Bool = false) {
        slots = InlineArray { _ in Atomic<Int>(0) }
        self.keepsStorage = keepsStorage
    }

    /// An idle handle (its payload cleared, one reference counted), or nil.
    func pop() -> Handle? {
        for i in 0..<Self.capacity where slots[i].load(ordering: .relaxed) != 0 {
            let p = slots[i].exchange(0, ordering: .acquiring)
            if p != 0 { return Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(bitPattern: p)!).takeRetainedValue() }
        }
        return nil
    }

    /// Keeps `h` (idle, payload dropped) for reuse and returns true; false when the cache
    /// is full or closed: the caller then releases it (after this returns: the handle may
    /// hold the last reference to this cache).
    func push(_ h: Unmanaged<Handle>) -> Bool {
        let p = Int(bitPattern: h.toOpaque())
        if !closed.load(ordering: .acquiring) {
            for i in 0..<Self.capacity {
                guard slots[i].compareExchange(expected: 0, desired: p, ordering: .acquiringAndReleasing).exchanged else { continue }
                // close() may have swept the slots just before this store: take it back then.
                if closed.load(ordering: .acquiring), slots[i].compareExchange(expected: p, desired: 0, ordering: .acquiringAndReleasing).exchanged {
                    break
                }
                return true
            }
        }
        return false
    }

    /// Releases every idle handle; later pushes release theirs.
    func close() {
        closed.store(true, ordering: .releasing)
        for i in 0..<Self.capacity {
            let p = slots[i].exchange(0, ordering: .acquiringAndReleasing)
            if p != 0 { Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(bitPattern: p)!).release() }
        }
    }
}
