import Atomics
import CHorus

/// Validation of a topic segment's header, shared by everything that maps one (the ring
/// itself, and the read-only `TopicInspector`): the header comes from
/// another process and is checked against the mapped size before any field is trusted.
package enum RingHeaderCheck {
    /// Byte offset of an entry's lock word (after the commit word and the message).
    package static func lockWordOffset(messageSize: Int) -> Int { 8 + (messageSize + 7) / 8 * 8 }

    /// Bytes per entry: commit word, message, lock word, rounded up to cache lines.
    package static func entryStride(messageSize: Int) -> Int { (lockWordOffset(messageSize: messageSize) + 8 + 63) / 64 * 64 }

    /// Nil when `base` (with `mappedSize` bytes mapped) holds a complete ring of this
    /// layout; otherwise what is wrong with it.
    package static func problem(base: UnsafeRawPointer, mappedSize: Int) -> String? {
        let headerBytes = Int(HORUS_RING_HEADER_BYTES)
        guard mappedSize >= headerBytes else { return "segment is \(mappedSize) bytes, smaller than a ring header" }
        let magic = UnsafeAtomic<UInt64>(at: UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self)))
            .load(ordering: .acquiring)
        guard magic == HORUS_RING_MAGIC else { return "bad magic (not a ring, or still initializing)" }
        let h = base.assumingMemoryBound(to: horus_ring_header.self).pointee
        guard h.layout_version == HORUS_RING_LAYOUT_VERSION else {
            return "ring layout version \(h.layout_version), this build uses \(HORUS_RING_LAYOUT_VERSION)"
        }
        let cap = Int(h.capacity), stride = Int(h.entry_stride), msg = Int(h.message_size)
        guard cap >= 1, cap <= 1 << 20, cap & (cap - 1) == 0 else { return "capacity \(cap) is not a power of two" }
        guard msg <= 1 << 20, stride == entryStride(messageSize: msg) else { return "entry stride \(stride) does not fit message size \(msg)" }
        guard Int(h.segment_size) == headerBytes + cap * stride, Int(h.segment_size) <= mappedSize else {
            return "segment size \(mappedSize) does not match its geometry"
        }
        guard h.message_kind <= 4 else { return "unknown message kind \(h.message_kind)" }
        if h.message_kind != 0 && msg != 144 { return "descriptor topic with message size \(msg)" }
        return nil
    }
}
