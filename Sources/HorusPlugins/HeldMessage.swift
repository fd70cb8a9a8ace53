import CHorus
import HorusMemory

/// A message a plugin holds through a handle (the Swift value keeps the slot reference).
enum HeldMessage {
    case image(Image)
    case depth(DepthImage)
    case cloud(PointCloud)
    case tensor(Tensor)

    var kind: horus_kind {
        switch self {
        case .image: return HORUS_KIND_IMAGE
        case .depth: return HORUS_KIND_DEPTH_IMAGE
        case .cloud: return HORUS_KIND_POINT_CLOUD
        case .tensor: return HORUS_KIND_TENSOR
        }
    }

    var tensor: Tensor {
        switch self {
        case .image(let m): return m.asTensor()
        case .depth(let m): return m.asTensor()
        case .cloud(let m): return m.asTensor()
        case .tensor(let m): return m
        }
    }

    var descriptor: Descriptor {
        switch self {
        case .image(let m): return m.descriptor()
        case .depth(let m): return m.descriptor()
        case .cloud(let m): return m.descriptor()
        case .tensor(let m): return m.descriptor()
        }
    }
}

/// Handles given to a plugin: index + generation into a slot array, so a stale, forged or
/// double-released handle is recognised and refused. No allocation once the arrays have
/// grown to the plugin's working set.
struct HandleTable {
    /// Most handles one node may hold at once (guards against a leaking plugin).
    static let limit = 4096
    private var entries: [HeldMessage?] = []
    private var generations: [UInt32] = []
    private var free: [Int32] = []

    init() {
        entries.reserveCapacity(16)
        generations.reserveCapacity(16)
        free.reserveCapacity(16)
    }

    /// Handle = generation << 32 | (index + 1); never 0.
    mutating func insert(_ m: HeldMessage) -> UInt64? {
        let i: Int
        if let f = free.popLast() {
            i = Int(f)
            entries[i] = m
        } else {
            guard entries.count < Self.limit else { return nil }
            i = entries.count
            entries.append(m)
            generations.append(1)
        }
        return UInt64(generations[i]) << 32 | UInt64(i + 1)
    }

    private func index(_ h: UInt64) -> Int? {
        let low = Int(h & 0xFFFF_FFFF)
        guard low >= 1, low <= entries.count else { return nil }
        let i = low - 1
        guard generations[i] == UInt32(truncatingIfNeeded: h >> 32), entries[i] != nil else { return nil }
        return i
    }

    func get(_ h: UInt64) -> HeldMessage? { index(h).flatMap { entries[$0] } }

    /// Drops the message; false for an unknown handle.
    mutating func remove(_ h: UInt64) -> Bool {
        guard let i = index(h) else { return false }
        entries[i] = nil
        generations[i] &+= 1
        if generations[i] == 0 { generations[i] = 1 }
        free.append(Int32(i))
        return true
    }

    var count: Int { entries.count - free.count }

    mutating func removeAll() {
        entries.removeAll()
        generations.removeAll()
        free.removeAll()
    }
}
