import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

extension Costmap: RecordableMessage {
    public static var recordSchema: String {
        RecordFormat.poolSchema(typeName: "Costmap", kind: .costmap, encodingField: "encoding", encodingValues: [],
                                meta: #"[{"name": "width", "offset": 0, "dtype": "uint32"}, {"name": "height", "offset": 4, "dtype": "uint32"}, "# +
                                      #"{"name": "resolution", "offset": 8, "dtype": "float32"}, {"name": "origin_x", "offset": 12, "dtype": "float32"}, "# +
                                      #"{"name": "origin_y", "offset": 16, "dtype": "float32"}]"#)
    }

    /// Header with the geometry in `meta`, payload = the cells straight from the slot.
    public func recordedSample() -> RecordedSample {
        var meta = [UInt8](repeating: 0, count: 32)
        meta.withUnsafeMutableBytes { m in
            m.storeBytes(of: UInt32(geometry.width).littleEndian, toByteOffset: 0, as: UInt32.self)
            m.storeBytes(of: UInt32(geometry.height).littleEndian, toByteOffset: 4, as: UInt32.self)
            m.storeBytes(of: geometry.resolution.bitPattern.littleEndian, toByteOffset: 8, as: UInt32.self)
            m.storeBytes(of: geometry.originX.bitPattern.littleEndian, toByteOffset: 12, as: UInt32.self)
            m.storeBytes(of: geometry.originY.bitPattern.littleEndian, toByteOffset: 16, as: UInt32.self)
        }
        let h = RecordFormat.Header(kind: RecordFormat.Kind.costmap.rawValue, dtype: .uint8, shape: [geometry.height, geometry.width],
                                    encoding: 0, timestampNs: timestampNs, frameID: frameID, meta: meta)
        return RecordedSample(header: h.encoded(), payload: UnsafeRawBufferPointer(start: cells.baseAddress, count: geometry.cellCount),
                              timestampNs: timestampNs, owner: self)
    }

    public static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> Costmap {
        let h = try RecordFormat.Header.decode(bytes)
        guard h.kind == RecordFormat.Kind.costmap.rawValue, h.shape.count == 2, h.dtype == .uint8 else {
            throw RecordFormatError(reason: "not a Costmap record")
        }
        let m = h.meta
        func u32(_ o: Int) -> UInt32 { UInt32(m[o]) | UInt32(m[o + 1]) << 8 | UInt32(m[o + 2]) << 16 | UInt32(m[o + 3]) << 24 }
        let g = CostmapGeometry(width: Int(u32(0)), height: Int(u32(4)), resolution: Float(bitPattern: u32(8)),
                                originX: Float(bitPattern: u32(12)), originY: Float(bitPattern: u32(16)))
        guard g.width == h.shape[1], g.height == h.shape[0] else { throw RecordFormatError(reason: "costmap geometry differs from shape") }
        let map = try Costmap(geometry: g, pool: pool, timestampNs: h.timestampNs, frameID: h.frameID)
        memcpy(map.cells.baseAddress, bytes.baseAddress! + RecordFormat.headerSize, g.cellCount)
        return map
    }
}
