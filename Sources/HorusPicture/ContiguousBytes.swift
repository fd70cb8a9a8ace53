import HorusMemory

/// The row-major bytes of a message's tensor. Topic and recorded messages are always
/// contiguous; a strided in-process view is refused rather than copied here.
enum ContiguousBytes {
    static func with<R>(_ t: Tensor, _ what: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard t.isContiguous else { throw PictureError("\(what) is a strided view (shape \(Array(t.shape)), strides \(Array(t.strides))): make it contiguous first") }
        return try body(UnsafeRawBufferPointer(start: t.baseAddress, count: t.nbytes))
    }
}
