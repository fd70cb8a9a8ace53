import CHorus

/// Offsets of the parts of a pool segment, computed from a configuration (by the
/// creator) or read from a header (by an attacher, then checked against the segment).
struct PoolLayout: Equatable {
    var processTableOffset: Int
    var countsOffset: Int
    var slotTableOffset: Int
    var classDataOffsets: [Int]
    var totalSlots: Int
    var segmentSize: Int

    static func align(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }

    init(configuration c: PoolConfiguration) {
        totalSlots = c.classes.reduce(0) { $0 + $1.slotCount }
        processTableOffset = Int(HORUS_POOL_HEADER_BYTES)
        countsOffset = Self.align(processTableOffset + c.processCapacity * MemoryLayout<horus_pool_process>.stride, 64)
        slotTableOffset = Self.align(countsOffset + c.processCapacity * totalSlots * 4, 64)
        var offset = Self.align(slotTableOffset + totalSlots * MemoryLayout<horus_pool_slot>.stride, 4096)
        classDataOffsets = []
        for cls in c.classes {
            classDataOffsets.append(offset)
            offset = Self.align(offset + cls.slotSize * cls.slotCount, 4096)
        }
        segmentSize = offset
    }
}
