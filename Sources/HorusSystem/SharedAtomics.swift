import Atomics

// Atomic views of words inside mapped shared memory (used by pools, topic rings and the
// participant table). swift-atomics' UnsafeAtomic is a plain pointer wrapper:
// constructing one costs nothing, and it works on any suitably aligned address,
// including memory shared with other processes. Inlinable: the publish and receive
// hot paths of the layers above call these on every message.

@inlinable @inline(__always)
package func atomicU32(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<UInt32> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<UInt32>.Storage.self))
}

@inlinable @inline(__always)
package func atomicI32(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<Int32> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<Int32>.Storage.self))
}

@inlinable @inline(__always)
package func atomicU64(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<UInt64> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self))
}
