import Atomics

// Atomic views of words inside a mapped ring segment (see HorusMemory's twin: the
// helpers are internal to each module on purpose, they are one line each).
@inline(__always) func ringU32(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<UInt32> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<UInt32>.Storage.self))
}
@inline(__always) func ringI32(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<Int32> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<Int32>.Storage.self))
}
@inline(__always) func ringU64(_ p: UnsafeMutableRawPointer) -> UnsafeAtomic<UInt64> {
    UnsafeAtomic(at: p.assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self))
}
