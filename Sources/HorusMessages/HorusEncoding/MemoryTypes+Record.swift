import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

extension Image: RecordableMessage {
    public static var recordSchema: String {
        RecordFormat.poolSchema(typeName: "Image", kind: .image, encodingField: "encoding",
                                encodingValues: ImageEncoding.allCases.map(\.description))
    }
    public func recordedSample() -> RecordedSample { poolRecordedSample(kind: .image) }
    public static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> Image {
        let h = try RecordFormat.Header.decode(bytes)
        guard h.kind == RecordFormat.Kind.image.rawValue, h.shape.count == 3, let e = ImageEncoding(rawValue: h.encoding),
              e.dtype == h.dtype, h.shape[2] == e.channels else { throw RecordFormatError(reason: "not an Image record") }
        let img = try Image(height: h.shape[0], width: h.shape[1], encoding: e, pool: pool, timestampNs: h.timestampNs, frameID: h.frameID)
        memcpy(img.bytes.baseAddress!, bytes.baseAddress! + RecordFormat.headerSize, h.payloadBytes)
        return img
    }
}

extension DepthImage: RecordableMessage {
    public static var recordSchema: String {
        RecordFormat.poolSchema(typeName: "DepthImage", kind: .depthImage, encodingField: "unit",
                                encodingValues: DepthUnit.allCases.map(\.description))
    }
    public func recordedSample() -> RecordedSample { poolRecordedSample(kind: .depthImage) }
    public static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> DepthImage {
        let h = try RecordFormat.Header.decode(bytes)
        guard h.kind == RecordFormat.Kind.depthImage.rawValue, h.shape.count == 2, let u = DepthUnit(rawValue: h.encoding),
              u.dtype == h.dtype else { throw RecordFormatError(reason: "not a DepthImage record") }
        let d = try DepthImage(height: h.shape[0], width: h.shape[1], unit: u, pool: pool, timestampNs: h.timestampNs, frameID: h.frameID)
        memcpy(d.asTensor().baseAddress, bytes.baseAddress! + RecordFormat.headerSize, h.payloadBytes)
        return d
    }
}

extension PointCloud: RecordableMessage {
    public static var recordSchema: String {
        RecordFormat.poolSchema(typeName: "PointCloud", kind: .pointCloud, encodingField: "format",
                                encodingValues: PointFormat.allCases.map(\.description))
    }
    public func recordedSample() -> RecordedSample { poolRecordedSample(kind: .pointCloud) }
    public static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> PointCloud {
        let h = try RecordFormat.Header.decode(bytes)
        guard h.kind == RecordFormat.Kind.pointCloud.rawValue, h.shape.count == 2, h.dtype == .float32,
              let f = PointFormat(rawValue: h.encoding), h.shape[1] == f.fieldCount else { throw RecordFormatError(reason: "not a PointCloud record") }
        let t = try Tensor(copyingBytes: UnsafeRawBufferPointer(start: bytes.baseAddress! + RecordFormat.headerSize, count: h.payloadBytes),
                           shape: h.shape, dtype: .float32, pool: pool)
        return PointCloud(tensor: t, format: f, timestampNs: h.timestampNs, frameID: h.frameID)
    }
}

extension Tensor: RecordableMessage {
    public static var recordSchema: String {
        RecordFormat.poolSchema(typeName: "Tensor", kind: .tensor, encodingField: "encoding", encodingValues: [])
    }
    public func recordedSample() -> RecordedSample { poolRecordedSample(kind: .tensor) }
    public static func fromRecorded(_ bytes: UnsafeRawBufferPointer, pool: Pool) throws -> Tensor {
        let h = try RecordFormat.Header.decode(bytes)
        guard h.kind == RecordFormat.Kind.tensor.rawValue else { throw RecordFormatError(reason: "not a Tensor record") }
        var t = try Tensor(copyingBytes: UnsafeRawBufferPointer(start: bytes.baseAddress! + RecordFormat.headerSize, count: h.payloadBytes),
                           shape: h.shape, dtype: h.dtype, pool: pool)
        t.timestampNs = h.timestampNs
        t.frameID = h.frameID
        return t
    }
}
