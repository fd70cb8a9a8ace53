import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

// The exported C functions; declarations and documentation are in
// Sources/CHorus/include/horus_c_api.h. Handles are `OpaquePointer`s to `Handle`
// objects (see Handle.swift); outputs are written only on success.

public typealias HandleOut = UnsafeMutablePointer<OpaquePointer?>

private let versionString: UnsafePointer<CChar> = UnsafePointer(strdup("0.1.0")!)

// MARK: - Library

@_cdecl("horus_last_error")
public func cabiLastError() -> UnsafePointer<CChar> { lastErrorPointer() }

@_cdecl("horus_version")
public func cabiVersion(_ out: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guarded { try requireOut(out).pointee = versionString }
}

@_cdecl("horus_descriptor_size")
public func cabiDescriptorSize(_ out: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded { try requireOut(out).pointee = Descriptor.byteSize }
}

// MARK: - Pools

@_cdecl("horus_pool_open")
public func cabiPoolOpen(_ name: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let out = try requireOut(out)
        let n = try requireString(name, "name")
        guard !n.isEmpty else { throw CABIError.invalid("pool name must not be empty") }
        let pool = try Pool.open(name: n)
        // Pools live for the process (the registry holds them): no reference is passed.
        out.pointee = OpaquePointer(Unmanaged.passUnretained(pool).toOpaque())
    }
}

@_cdecl("horus_pool_default")
public func cabiPoolDefault(_ out: HandleOut?) -> Int32 {
    guarded {
        let out = try requireOut(out)
        out.pointee = OpaquePointer(Unmanaged.passUnretained(try Pool.shared()).toOpaque())
    }
}

@_cdecl("horus_pool_slots_in_use")
public func cabiPoolSlotsInUse(_ pool: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        let out = try requireOut(out)
        out.pointee = Int64(try poolFrom(pool).slotsInUse)
    }
}

// MARK: - Creation

@_cdecl("horus_tensor_create")
public func cabiTensorCreate(_ pool: OpaquePointer?, _ shape: UnsafePointer<Int64>?, _ ndim: Int32, _ dtype: Int32, _ out: HandleOut?) -> Int32 {
    guarded {
        let d = try parseDType(dtype)
        let dims = try parseShape(shape, ndim, dtype: d)
        try makeSample(pool: pool, shape: dims, dtype: d, kind: .tensor, encoding: 0, bytes: nil, nbytes: nil, out: out)
    }
}

@_cdecl("horus_image_create")
public func cabiImageCreate(_ pool: OpaquePointer?, _ height: Int64, _ width: Int64, _ encoding: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let e = try parseEncoding(encoding)
        let shape = Dims(try checkSize("height", height), try checkSize("width", width), e.channels)
        try makeSample(pool: pool, shape: shape, dtype: e.dtype, kind: .image, encoding: e.rawValue, bytes: nil, nbytes: nil, out: out)
    }
}

@_cdecl("horus_pointcloud_create")
public func cabiPointCloudCreate(_ pool: OpaquePointer?, _ count: Int64, _ format: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let f = try parseFormat(format)
        let shape = Dims(try checkSize("count", count), f.fieldCount)
        try makeSample(pool: pool, shape: shape, dtype: .float32, kind: .pointCloud, encoding: f.rawValue, bytes: nil, nbytes: nil, out: out)
    }
}

@_cdecl("horus_depth_create")
public func cabiDepthCreate(_ pool: OpaquePointer?, _ height: Int64, _ width: Int64, _ unit: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let u = try parseUnit(unit)
        let shape = Dims(try checkSize("height", height), try checkSize("width", width))
        try makeSample(pool: pool, shape: shape, dtype: u.dtype, kind: .depthImage, encoding: u.rawValue, bytes: nil, nbytes: nil, out: out)
    }
}

// MARK: - Loans (unzeroed: the slot keeps whatever bytes it last held, of this namespace)

@_cdecl("horus_tensor_loan")
public func cabiTensorLoan(_ pool: OpaquePointer?, _ shape: UnsafePointer<Int64>?, _ ndim: Int32, _ dtype: Int32, _ out: HandleOut?) -> Int32 {
    guarded {
        let d = try parseDType(dtype)
        let dims = try parseShape(shape, ndim, dtype: d)
        try makeSample(pool: pool, shape: dims, dtype: d, kind: .tensor, encoding: 0, bytes: nil, nbytes: nil, zeroed: false, out: out)
    }
}

@_cdecl("horus_image_loan")
public func cabiImageLoan(_ pool: OpaquePointer?, _ height: Int64, _ width: Int64, _ encoding: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let e = try parseEncoding(encoding)
        let shape = Dims(try checkSize("height", height), try checkSize("width", width), e.channels)
        try makeSample(pool: pool, shape: shape, dtype: e.dtype, kind: .image, encoding: e.rawValue, bytes: nil, nbytes: nil, zeroed: false, out: out)
    }
}

@_cdecl("horus_pointcloud_loan")
public func cabiPointCloudLoan(_ pool: OpaquePointer?, _ count: Int64, _ format: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let f = try parseFormat(format)
        let shape = Dims(try checkSize("count", count), f.fieldCount)
        try makeSample(pool: pool, shape: shape, dtype: .float32, kind: .pointCloud, encoding: f.rawValue, bytes: nil, nbytes: nil, zeroed: false, out: out)
    }
}

@_cdecl("horus_depth_loan")
public func cabiDepthLoan(_ pool: OpaquePointer?, _ height: Int64, _ width: Int64, _ unit: UnsafePointer<CChar>?, _ out: HandleOut?) -> Int32 {
    guarded {
        let u = try parseUnit(unit)
        let shape = Dims(try checkSize("height", height), try checkSize("width", width))
        try makeSample(pool: pool, shape: shape, dtype: u.dtype, kind: .depthImage, encoding: u.rawValue, bytes: nil, nbytes: nil, zeroed: false, out: out)
    }
}

// MARK: - Creation from bytes (one memcpy)

@_cdecl("horus_tensor_from_bytes")
public func cabiTensorFromBytes(_ pool: OpaquePointer?, _ data: UnsafeRawPointer?, _ nbytes: Int, _ shape: UnsafePointer<Int64>?,
                                _ ndim: Int32, _ dtype: Int32, _ out: HandleOut?) -> Int32 {
    guarded {
        let d = try parseDType(dtype)
        let dims = try parseShape(shape, ndim, dtype: d)
        try makeSample(pool: pool, shape: dims, dtype: d, kind: .tensor, encoding: 0, bytes: data, nbytes: nbytes, out: out)
    }
}

@_cdecl("horus_image_from_bytes")
public func cabiImageFromBytes(_ pool: OpaquePointer?, _ height: Int64, _ width: Int64, _ encoding: UnsafePointer<CChar>?,
                               _ data: UnsafeRawPointer?, _ nbytes: Int, _ out: HandleOut?) -> Int32 {
    guarded {
        let e = try parseEncoding(encoding)
        let shape = Dims(try checkSize("height", height), try checkSize("width", width), e.channels)
        try makeSample(pool: pool, shape: shape, dtype: e.dtype, kind: .image, encoding: e.rawValue, bytes: data, nbytes: nbytes, out: out)
    }
}

@_cdecl("horus_pointcloud_from_bytes")
public func cabiPointCloudFromBytes(_ pool: OpaquePointer?, _ count: Int64, _ format: UnsafePointer<CChar>?,
                                    _ data: UnsafeRawPointer?, _ nbytes: Int, _ out: HandleOut?) -> Int32 {
    guarded {
        let f = try parseFormat(format)
        let shape = Dims(try checkSize("count", count), f.fieldCount)
        try makeSample(pool: pool, shape: shape, dtype: .float32, kind: .pointCloud, encoding: f.rawValue, bytes: data, nbytes: nbytes, out: out)
    }
}

@_cdecl("horus_depth_from_bytes")
public func cabiDepthFromBytes(_ pool: OpaquePointer?, _ height: Int64, _ width: Int64, _ unit: UnsafePointer<CChar>?,
                               _ data: UnsafeRawPointer?, _ nbytes: Int, _ out: HandleOut?) -> Int32 {
    guarded {
        let u = try parseUnit(unit)
        let shape = Dims(try checkSize("height", height), try checkSize("width", width))
        try makeSample(pool: pool, shape: shape, dtype: u.dtype, kind: .depthImage, encoding: u.rawValue, bytes: data, nbytes: nbytes, out: out)
    }
}

// MARK: - Reference counting

@_cdecl("horus_tensor_retain")
public func cabiRetain(_ t: OpaquePointer?) -> Int32 {
    guarded {
        guard let t else { throw CABIError.invalid("handle must not be NULL") }
        Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(t)).takeUnretainedValue().retain()
    }
}

@_cdecl("horus_tensor_release")
public func cabiRelease(_ t: OpaquePointer?) -> Int32 {
    guard let t else { return HORUS_OK.rawValue }
    Handle.release(t)
    return HORUS_OK.rawValue
}

// MARK: - Accessors

@_cdecl("horus_tensor_info")
public func cabiInfo(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<horus_tensor_info_t>?) -> Int32 {
    guarded {
        let out = try requireOut(out)
        try Handle.borrowing(t) { writeTensorInfo(of: $0, into: out) }
    }
}

@_cdecl("horus_tensor_data")
public func cabiData(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = h.tensor.baseAddress } }
}

@_cdecl("horus_tensor_ndim")
public func cabiNdim(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = Int32(h.tensor.ndim) } }
}

private func copyDims(_ d: Dims, _ out: UnsafeMutablePointer<Int64>?, _ capacity: Int32) throws {
    guard d.count == 0 || out != nil else { throw CABIError.invalid("out must not be NULL") }
    guard Int(capacity) >= d.count else { throw CABIError.buffer("capacity \(capacity) is less than ndim \(d.count)") }
    for i in 0..<d.count { out![i] = Int64(d[i]) }
}

@_cdecl("horus_tensor_shape")
public func cabiShape(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?, _ capacity: Int32) -> Int32 {
    guarded { try copyDims(try Handle.from(t).tensor.shape, out, capacity) }
}

@_cdecl("horus_tensor_strides")
public func cabiStrides(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?, _ capacity: Int32) -> Int32 {
    guarded { try copyDims(try Handle.from(t).tensor.strides, out, capacity) }
}

@_cdecl("horus_tensor_dtype")
public func cabiDType(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = Int32(h.tensor.dtype.rawValue) } }
}

@_cdecl("horus_tensor_nbytes")
public func cabiNbytes(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = UInt64(h.tensor.nbytes) } }
}

@_cdecl("horus_tensor_kind")
public func cabiKind(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = Int32(h.kind.rawValue) } }
}

@_cdecl("horus_tensor_encoding")
public func cabiEncoding(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = h.encodingName } }
}

@_cdecl("horus_tensor_is_read_only")
public func cabiIsReadOnly(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = h.tensor.isReadOnly ? 1 : 0 } }
}

@_cdecl("horus_tensor_timestamp")
public func cabiTimestamp(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    guarded { try Handle.borrowing(t) { h in try requireOut(out).pointee = h.timestampNs } }
}

@_cdecl("horus_tensor_set_timestamp")
public func cabiSetTimestamp(_ t: OpaquePointer?, _ ns: UInt64) -> Int32 {
    guarded { try Handle.borrowing(t) { $0.timestampNs = ns } }
}

@_cdecl("horus_tensor_frame_id")
public func cabiFrameID(_ t: OpaquePointer?, _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let out = try requireOut(out)
        let bytes = Array(h.frameID.utf8)
        guard capacity > bytes.count else { throw CABIError.buffer("capacity \(capacity) cannot hold \(bytes.count + 1) bytes") }
        for (i, b) in bytes.enumerated() { out[i] = CChar(bitPattern: b) }
        out[bytes.count] = 0
    }
}

@_cdecl("horus_tensor_set_frame_id")
public func cabiSetFrameID(_ t: OpaquePointer?, _ frameID: UnsafePointer<CChar>?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let s = try requireString(frameID, "frame_id")
        let limit = Int(HORUS_FRAME_ID_CAPACITY) - 1
        guard s.utf8.count <= limit else {
            throw CABIError.invalid("frame id '\(s)' is \(s.utf8.count) bytes, at most \(limit) fit in a descriptor")
        }
        h.frameID = s
    }
}

@_cdecl("horus_depth_statistics")
public func cabiDepthStatistics(_ t: OpaquePointer?, _ validCount: UnsafeMutablePointer<Int64>?, _ minM: UnsafeMutablePointer<Double>?,
                                _ maxM: UnsafeMutablePointer<Double>?, _ meanM: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let h = try Handle.from(t)
        let (nOut, loOut, hiOut, meanOut) = (try requireOut(validCount, "valid_count"), try requireOut(minM, "min_m"),
                                             try requireOut(maxM, "max_m"), try requireOut(meanM, "mean_m"))
        guard h.kind == .depthImage, let unit = DepthUnit(rawValue: h.encoding) else {
            throw CABIError.invalid("statistics need a DepthImage, this is a \(h.kind)")
        }
        let scale = unit == .meters ? 1.0 : 0.001
        var n = 0, lo = Double.infinity, hi = -Double.infinity, sum = 0.0
        h.tensor.forEachElement { raw in
            let m = raw * scale
            if m.isFinite && m > 0 {
                n += 1
                lo = Swift.min(lo, m)
                hi = Swift.max(hi, m)
                sum += m
            }
        }
        nOut.pointee = Int64(n)
        loOut.pointee = n == 0 ? 0 : lo
        hiOut.pointee = n == 0 ? 0 : hi
        meanOut.pointee = n == 0 ? 0 : sum / Double(n)
    }
}
