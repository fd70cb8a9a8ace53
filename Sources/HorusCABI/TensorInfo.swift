import CHorus
import HorusMemory

/// Writes a handle's geometry and type as one `horus_tensor_info_t` at `info`
/// (horus_tensor_info, horus_subscriber_receive_sample): stored in place, no struct
/// value returned and copied.
func writeTensorInfo(of h: Handle, into info: UnsafeMutablePointer<horus_tensor_info_t>) {
    let x = h.tensorPointer  // read in place through the address: the tensor is not copied (retained)
    let itemsize = x.pointee.dtype.size
    let ndim = x.pointee.shape.count
    info.pointee.data = x.pointee.baseAddress
    info.pointee.ndim = Int32(ndim)
    info.pointee.dtype = Int32(x.pointee.dtype.rawValue)
    info.pointee.itemsize = Int32(itemsize)
    info.pointee.kind = Int32(h.kind.rawValue)
    info.pointee.encoding = Int32(h.encoding)
    info.pointee.read_only = x.pointee.isReadOnly ? 1 : 0
    // All six, the unused ones as the zeros Dims keeps beyond its count.
    let e = x.pointee.shape.zeroPadded, s = x.pointee.strides.zeroPadded
    info.pointee.shape = (Int64(e.0), Int64(e.1), Int64(e.2), Int64(e.3), Int64(e.4), Int64(e.5))
    info.pointee.strides = (Int64(s.0), Int64(s.1), Int64(s.2), Int64(s.3), Int64(s.4), Int64(s.5))
    // Element count and reachable span in one pass (a validated geometry: the products
    // cannot overflow).
    var lo = 0, hi = 0, empty = false, count = 1
    withUnsafeBytes(of: e) { extents in
        withUnsafeBytes(of: s) { strides in
            for i in 0..<ndim {
                let n = extents.load(fromByteOffset: i &* 8, as: Int.self), stride = strides.load(fromByteOffset: i &* 8, as: Int.self)
                count &*= n
                if n == 0 { empty = true; continue }
                let ext = (n &- 1) &* stride &* itemsize
                if ext < 0 { lo &+= ext } else { hi &+= ext }
            }
        }
    }
    info.pointee.nbytes = UInt64(count &* itemsize)
    info.pointee.span_start = empty ? 0 : Int64(lo)
    info.pointee.span_bytes = empty ? 0 : UInt64(hi - lo + itemsize)
}
