import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// A 2D occupancy grid in a pool slot (free 0 ... inscribed 253, lethal 254, unknown
/// 255), with its geometry. The slot holds a 64-byte header (magic, width, height,
/// resolution, origin) followed by the cells, so the grid and its metadata travel as
/// one descriptor: zero-copy like the other pool-backed types.
public struct Costmap: TopicMessage, TimestampedMessage, @unchecked Sendable {
    public static var topicTypeName: String { "Costmap" }
    public static var topicLayoutVersion: UInt32 { 1 }
    public static var wireSize: Int { Descriptor.byteSize }
    public static var wireKind: UInt32 { UInt32(MessageKind.tensor.rawValue) + 1 }

    static let headerBytes = 64
    static let magic: UInt32 = 0x504D_4348  // "HCMP"

    /// The [height, width] uint8 cells, row 0 at `originY`.
    public let cells: Tensor
    public let geometry: CostmapGeometry
    public var timestampNs: UInt64
    public var frameID: String

    /// A new grid with every cell unknown.
    public init(geometry g: CostmapGeometry, pool: Pool, timestampNs: UInt64 = 0, frameID: String = "world") throws {
        let storage = try SlotStorage.allocate(byteCount: Self.headerBytes + g.cellCount, in: pool)
        let h = storage.base
        h.storeBytes(of: Self.magic, toByteOffset: 0, as: UInt32.self)
        h.storeBytes(of: UInt32(g.width), toByteOffset: 4, as: UInt32.self)
        h.storeBytes(of: UInt32(g.height), toByteOffset: 8, as: UInt32.self)
        h.storeBytes(of: g.resolution, toByteOffset: 12, as: Float.self)
        h.storeBytes(of: g.originX, toByteOffset: 16, as: Float.self)
        h.storeBytes(of: g.originY, toByteOffset: 20, as: Float.self)
        (h + Self.headerBytes).initializeMemory(as: UInt8.self, repeating: CostmapCost.unknown, count: g.cellCount)
        cells = Tensor(slot: storage, dtype: .uint8, shape: [g.height, g.width], byteOffset: Self.headerBytes)
        geometry = g
        self.timestampNs = timestampNs
        self.frameID = frameID
    }

    /// The cost of the cell containing world point (x, y), nil outside the grid.
    public func cost(x: Float, y: Float) -> UInt8? {
        guard let i = geometry.cellIndex(x: x, y: y) else { return nil }
        return cells.baseAddress.load(fromByteOffset: i, as: UInt8.self)
    }

    /// The cells as a buffer (row-major).
    public var bytes: UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: cells.baseAddress.assumingMemoryBound(to: UInt8.self), count: geometry.cellCount)
    }

    public func writeWire(to p: UnsafeMutableRawPointer) {
        cells.descriptor(timestampNs: timestampNs, frameID: frameID).withUnsafeBytes {
            p.copyMemory(from: $0.baseAddress!, byteCount: $0.count)
        }
    }

    /// Validates the descriptor, then the header inside the slot against the view.
    public static func readWire(_ p: UnsafeRawPointer) throws -> Costmap {
        let d = Descriptor(bytes: UnsafeRawBufferPointer(start: p, count: Descriptor.byteSize))!
        let t = try Tensor(descriptor: d, readOnly: true)
        func bad(_ why: String) -> DescriptorError { .invalidField(field: "costmap header", value: "", reason: why) }
        guard t.byteOffset == headerBytes, t.ndim == 2, t.dtype == .uint8, t.isContiguous else { throw bad("not a costmap view") }
        let h = t.storage.base
        guard h.load(fromByteOffset: 0, as: UInt32.self) == magic else { throw bad("bad magic") }
        let w = Int(h.load(fromByteOffset: 4, as: UInt32.self)), ht = Int(h.load(fromByteOffset: 8, as: UInt32.self))
        guard w == t.shape[1], ht == t.shape[0] else { throw bad("header size \(w)x\(ht) differs from the view \(t.shape)") }
        let res = h.load(fromByteOffset: 12, as: Float.self)
        guard res > 0, res.isFinite else { throw bad("resolution \(res)") }
        let g = CostmapGeometry(width: w, height: ht, resolution: res,
                                originX: h.load(fromByteOffset: 16, as: Float.self), originY: h.load(fromByteOffset: 20, as: Float.self))
        return Costmap(cells: t, geometry: g, timestampNs: d.timestampNs, frameID: d.frameID)
    }

    private init(cells: Tensor, geometry: CostmapGeometry, timestampNs: UInt64, frameID: String) {
        self.cells = cells
        self.geometry = geometry
        self.timestampNs = timestampNs
        self.frameID = frameID
    }
}
