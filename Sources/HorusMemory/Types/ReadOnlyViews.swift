/// Read-only views of pool-backed messages, sharing the slot (no new reference is
/// taken: the view holds the same `SlotStorage`): the message as a subscriber would
/// decode it from its descriptor (read-only, frame id cut to the descriptor's 23
/// bytes), without the round trip. For handing a message to code that must not write
/// its elements.
extension Tensor {
    /// This tensor, with element writes refused.
    public func readOnlyView() -> Tensor {
        var t = self
        t.isReadOnly = true
        return t
    }
}

/// The stored fields a read-only view changes, shared by the message types that carry
/// a frame id (one implementation of `readOnlyView` for all three).
protocol ReadOnlyViewFields {
    var tensor: Tensor { get set }
    var frameID: String { get set }
}

extension ReadOnlyViewFields {
    /// A copy over the same slot with element writes refused and the frame id as a
    /// descriptor would carry it.
    func readOnlyFieldsCopy() -> Self {
        var c = self
        c.tensor.isReadOnly = true
        c.frameID = FrameIDField.asStored(frameID)
        return c
    }
}

extension Image: ReadOnlyViewFields {
    /// This image over the same slot, with element writes refused.
    public func readOnlyView() -> Image { readOnlyFieldsCopy() }
}

extension PointCloud: ReadOnlyViewFields {
    /// This point cloud over the same slot, with element writes refused.
    public func readOnlyView() -> PointCloud { readOnlyFieldsCopy() }
}

extension DepthImage: ReadOnlyViewFields {
    /// This depth image over the same slot, with element writes refused.
    public func readOnlyView() -> DepthImage { readOnlyFieldsCopy() }
}

/// The frame id as a descriptor stores it: at most 23 UTF-8 bytes, up to the first NUL.
enum FrameIDField {
    @inline(__always)
    static func asStored(_ s: String) -> String {
        if s.isEmpty { return s }
        let capacity = 23
        var n = 0
        for c in s.utf8 {
            if c == 0 || n == capacity { return String(decoding: s.utf8.prefix(n), as: UTF8.self) }
            n += 1
        }
        return s
    }
}
