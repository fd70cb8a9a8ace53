import Atomics

// Atomic views of words inside mapped shared memory (used by pools and topic rings). swift-atomics' UnsafeAtomic is a
// plain pointer wrapper: constructing one costs nothing, and it works on any suitably
// aligned address, including memory shared with other processes.

@inline(__always)
public func atomicU32(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<UInt32> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<UInt32>.Storage.self))
}

@inline(__always)
public func atomicI32(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<Int32> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<Int32>.Storage.self))
}

@inline(__always)
public func atomicU64(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<UInt64> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self))
}
