import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// The "horus" message encoding of recordings (docs/recording-format.md).
///
/// Pool-backed messages are a fixed 160-byte little-endian header followed by the
/// payload bytes, copied contiguously from the slot:
///
///     0   magic u32 = 0x63655248 ("HRec")   4  version u16 = 1   6  header_size u16 = 160
///     8   kind u8 (0 Tensor, 1 Image, 2 PointCloud, 3 DepthImage, 16 Costmap)
///     9   dtype u8   10 ndim u8   11 encoding u8   12 reserved u32
///     16  shape[6] u32            40 strides[6] i64 (elements, of the contiguous copy)
///     88  timestamp_ns u64        96 frame_id[24] (NUL-padded UTF-8)
///     120 payload_bytes u64       128 meta[32] (type-specific; Costmap: width u32,
///         height u32, resolution f32, origin_x f32, origin_y f32)
///     160 payload
///
/// Plain structs are their bytes (the layout is given by the schema's field list).
public enum RecordFormat {
    public static let magic: UInt32 = 0x6365_5248
    public static let version: UInt16 = 1
    public static let headerSize = 160
    public static let schemaEncoding = "horus"
    public static let messageEncoding = "horus"

    /// Record kinds (byte 8 of the header).
    public enum Kind: UInt8, Sendable {
        case tensor = 0, image = 1, pointCloud = 2, depthImage = 3, costmap = 16
    }

    /// The parsed fixed header of a pool-backed record.
    public struct Header: Equatable, Sendable {
        public var kind: UInt8
        public var dtype: DType
        public var shape: [Int]
        public var strides: [Int]
        public var encoding: UInt8
        public var timestampNs: UInt64
        public var frameID: String
        public var payloadBytes: Int
        /// The 32 type-specific bytes.
        public var meta: [UInt8]

        public init(kind: UInt8, dtype: DType, shape: [Int], encoding: UInt8, timestampNs: UInt64, frameID: String, meta: [UInt8] = []) {
            self.kind = kind
            self.dtype = dtype
            self.shape = shape
            var s = [Int](repeating: 1, count: shape.count)
            var acc = 1
            for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
            self.strides = s
            self.encoding = encoding
            self.timestampNs = timestampNs
            self.frameID = frameID
            self.payloadBytes = acc * dtype.size
            self.meta = meta
        }

        /// The 160 header bytes.
        public func encoded() -> [UInt8] {
            var b = [UInt8](repeating: 0, count: RecordFormat.headerSize)
            b.withUnsafeMutableBytes { p in
                p.storeBytes(of: RecordFormat.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
                p.storeBytes(of: RecordFormat.version.littleEndian, toByteOffset: 4, as: UInt16.self)
                p.storeBytes(of: UInt16(RecordFormat.headerSize).littleEndian, toByteOffset: 6, as: UInt16.self)
                p[8] = kind
                p[9] = dtype.rawValue
                p[10] = UInt8(shape.count)
                p[11] = encoding
                for i in 0..<min(shape.count, 6) {
                    p.storeBytes(of: UInt32(truncatingIfNeeded: shape[i]).littleEndian, toByteOffset: 16 + 4 * i, as: UInt32.self)
                    p.storeBytes(of: Int64(strides[i]).littleEndian, toByteOffset: 40 + 8 * i, as: Int64.self)
                }
                p.storeBytes(of: timestampNs.littleEndian, toByteOffset: 88, as: UInt64.self)
                for (i, c) in frameID.utf8.prefix(23).enumerated() { p[96 + i] = c }
                p.storeBytes(of: UInt64(payloadBytes).littleEndian, toByteOffset: 120, as: UInt64.self)
                for (i, m) in meta.prefix(32).enumerated() { p[128 + i] = m }
            }
            return b
        }

        /// Parses and checks a record's header (the payload must follow, complete).
        public static func decode(_ b: UnsafeRawBufferPointer) throws -> Header {
            func bad(_ why: String) -> RecordFormatError { RecordFormatError(reason: why) }
            guard b.count >= RecordFormat.headerSize else { throw bad("record of \(b.count) bytes is shorter than the header") }
            guard UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) == RecordFormat.magic else { throw bad("bad magic") }
            let hs = Int(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 6, as: UInt16.self)))
            guard hs >= RecordFormat.headerSize, hs <= b.count else { throw bad("bad header size \(hs)") }
            guard let dt = DType(rawValue: b[9]) else { throw bad("bad dtype \(b[9])") }
            let nd = Int(b[10])
            guard nd <= 6 else { throw bad("ndim \(nd) > 6") }
            let shape = (0..<nd).map { Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 16 + 4 * $0, as: UInt32.self))) }
            let ts = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 88, as: UInt64.self))
            let fidBytes = Array(b[96..<120])
            let fid = String(decoding: fidBytes[..<(fidBytes.firstIndex(of: 0) ?? 24)], as: UTF8.self)
            var h = Header(kind: b[8], dtype: dt, shape: shape, encoding: b[11], timestampNs: ts, frameID: fid, meta: Array(b[128..<160]))
            let pb = Int(UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 120, as: UInt64.self)))
            guard pb == h.payloadBytes else { throw bad("payload_bytes \(pb) differs from shape \(shape) x \(dt.size)") }
            guard b.count - hs >= pb else { throw bad("record holds \(b.count - hs) payload bytes, header says \(pb)") }
            h.payloadBytes = pb
            return h
        }
    }

    /// JSON schema document for a pool-backed kind.
    public static func poolSchema(typeName: String, kind: Kind, encodingField: String, encodingValues: [String], meta: String = "[]") -> String {
        let encs = encodingValues.enumerated().map { "\"\($0.offset)\": \"\($0.element)\"" }.joined(separator: ", ")
        return """
        {"horus_type": "\(typeName)", "format": "horus-record/1", "byte_order": "little", "kind": \(kind.rawValue),
         "header_size": 160,
         "header": [
          {"name": "magic", "offset": 0, "dtype": "uint32", "value": 1667584584},
          {"name": "version", "offset": 4, "dtype": "uint16", "value": 1},
          {"name": "header_size", "offset": 6, "dtype": "uint16"},
          {"name": "kind", "offset": 8, "dtype": "uint8"},
          {"name": "dtype", "offset": 9, "dtype": "uint8", "codes": ["uint8","int8","uint16","int16","uint32","int32","uint64","int64","float16","float32","float64","bool"]},
          {"name": "ndim", "offset": 10, "dtype": "uint8"},
          {"name": "\(encodingField)", "offset": 11, "dtype": "uint8", "codes": {\(encs)}},
          {"name": "shape", "offset": 16, "dtype": "uint32", "count": 6},
          {"name": "strides", "offset": 40, "dtype": "int64", "count": 6, "unit": "elements"},
          {"name": "timestamp_ns", "offset": 88, "dtype": "uint64"},
          {"name": "frame_id", "offset": 96, "dtype": "char", "count": 24},
          {"name": "payload_bytes", "offset": 120, "dtype": "uint64"},
          {"name": "meta", "offset": 128, "dtype": "uint8", "count": 32, "fields": \(meta)}
         ],
         "payload": {"offset": "header_size", "layout": "row-major contiguous, shape[:ndim] of dtype"}}
        """
    }

    /// JSON schema document for a plain struct: its fields with byte offsets.
    public static func plainSchema(typeName: String, size: Int, fields: [(name: String, offset: Int, dtype: DType)]) -> String {
        let fs = fields.map { "{\"name\": \"\($0.name)\", \"offset\": \($0.offset), \"dtype\": \"\($0.dtype)\"}" }.joined(separator: ", ")
        return """
        {"horus_type": "\(typeName)", "format": "horus-plain/1", "byte_order": "little", "size": \(size),
         "fields": [\(fs)]}
        """
    }

    /// Copies a (possibly strided) tensor's elements row-major into `dst` (tensor.nbytes bytes).
    public static func copyContiguous(_ t: Tensor, into dst: UnsafeMutableRawPointer) {
        if t.isContiguous { memcpy(dst, t.baseAddress, t.nbytes); return }
        let es = t.dtype.size
        var out = dst
        func walk(_ axis: Int, _ src: UnsafeMutableRawPointer) {
            if axis == t.ndim { memcpy(out, src, es); out += es; return }
            for i in 0..<t.shape[axis] { walk(axis + 1, src + i * t.strides[axis] * es) }
        }
        walk(0, t.baseAddress)
    }
}
