/// A growable, manually managed buffer of trivial values used as reusable per-call scratch space.
///
/// Grows geometrically and never shrinks, so steady-state calls do not allocate. Contents are
/// uninitialized garbage after growth; callers write before they read. Not thread-safe.
final class ScratchBuffer<T> {
    private(set) var pointer: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = Swift.max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Ensures room for `count` elements (contents are not preserved on growth).
    @inline(__always)
    func reserve(_ count: Int) {
        if count > capacity { grow(count) }
    }

    private func grow(_ count: Int) {
        pointer.deallocate()
        capacity = Swift.max(count, capacity * 2)
        pointer = .allocate(capacity: capacity)
    }
}
