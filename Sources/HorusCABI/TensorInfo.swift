import CHorus
import HorusMemory

/// A handle's geometry and type as one `horus_tensor_info_t` (horus_tensor_info,
/// horus_subscriber_receive_sample).
func tensorInfo(of h: Handle) -> horus_tensor_info_t {
    let x = h.tensorPointer  // read in place through the address: the tensor is not copied (retained)
    var info = horus_tensor_info_t()
    info.data = x.pointee.baseAddress
    info.ndim = Int32(x.pointee.ndim)
    info.dtype = Int32(x.pointee.dtype.rawValue)
    info.itemsize = Int32(x.pointee.dtype.size)
    info.kind = Int32(h.kind.rawValue)
    info.encoding = Int32(h.encoding)
    info.read_only = x.pointee.isReadOnly ? 1 : 0
    var lo = 0, hi = 0, empty = false, count = 1
    let shape = x.pointee.shape, strides = x.pointee.strides, itemsize = x.pointee.dtype.size
    // One pass: extents, strides, element count and reachable span (a validated geometry:
    // the products cannot overflow).
    withUnsafeMutableBytes(of: &info.shape) { s in
        withUnsafeMutableBytes(of: &info.strides) { st in
            for i in 0..<shape.count {
                let n = shape[i], stride = strides[i]
                s.storeBytes(of: Int64(n), toByteOffset: i &* 8, as: Int64.self)
                st.storeBytes(of: Int64(stride), toByteOffset: i &* 8, as: Int64.self)
                count &*= n
                if n == 0 { empty = true; continue }
                let ext = (n &- 1) &* stride &* itemsize
                if ext < 0 { lo &+= ext } else { hi &+= ext }
            }
        }
    }
    info.nbytes = UInt64(count &* itemsize)
    info.span_start = empty ? 0 : Int64(lo)
    info.span_bytes = empty ? 0 : UInt64(hi - lo + itemsize)
    return info
}
