/// Read-only views of pool-backed messages, sharing the slot (no new reference is
/// taken: the view holds the same `SlotStorage`). What a process-local topic hands a
/// subscriber: the same message a shared-memory topic would decode from the descriptor
/// (read-only, frame id cut to the descriptor's 23 bytes), without the round trip.
extension Tensor {
    /// This tensor, with element writes refused.
    public func readOnlyView() -> Tensor {
        var t = self
        t.isReadOnly = true
        return t
    }
}

extension Image {
    /// This image over the same slot, with element writes refused.
    public func readOnlyView() -> Image {
        var c = self
        c.tensor.isReadOnly = true
        c.frameID = FrameIDField.asStored(frameID)
        return c
    }
}

extension PointCloud {
    /// This point cloud over the same slot, with element writes refused.
    public func readOnlyView() -> PointCloud {
        var c = self
        c.tensor.isReadOnly = true
        c.frameID = FrameIDField.asStored(frameID)
        return c
    }
}

extension DepthImage {
    /// This depthimage over the same slot, with element writes refused.
    public func readOnlyView() -> DepthImage {
        var c = self
        c.tensor.isReadOnly = true
        c.frameID = FrameIDField.asStored(frameID)
        return c
    }
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
