/// The geometry of a pool: its size classes and how many processes may attach.
///
/// Variable sizes are served by size classes (a slab allocator): each request takes a
/// slot of the smallest class that fits, so a 64 B tensor uses a 256 B slot, not a
/// 6 MB one. Classes are fixed at creation, which keeps allocation a single lock-free
/// pop. The segment is sparse (tmpfs pages are only backed when touched), so large
/// classes cost address space, not memory, until used. When a class is exhausted the
/// next larger class with a free slot serves the request.
public struct PoolConfiguration: Equatable, Sendable {
    /// One size class: `slotCount` slots of `slotSize` bytes.
    public struct SizeClass: Equatable, Sendable {
        public var slotSize: Int
        public var slotCount: Int
        public init(slotSize: Int, slotCount: Int) {
            self.slotSize = slotSize
            self.slotCount = slotCount
        }
    }

    public var classes: [SizeClass]
    /// Processes that can be attached at once (each has a reference-count row).
    public var processCapacity: Int

    public init(classes: [SizeClass], processCapacity: Int = 32) {
        self.classes = classes
        self.processCapacity = processCapacity
    }

    /// 256 B x 1024, 4 KiB x 512, 64 KiB x 256, 1 MiB x 64, 8 MiB x 48 (fits 1080p RGB),
    /// 32 MiB x 4 (for large tensors): about 600 MiB of address space.
    public static let `default` = PoolConfiguration(classes: [
        SizeClass(slotSize: 256, slotCount: 1024),
        SizeClass(slotSize: 4 << 10, slotCount: 512),
        SizeClass(slotSize: 64 << 10, slotCount: 256),
        SizeClass(slotSize: 1 << 20, slotCount: 64),
        SizeClass(slotSize: 8 << 20, slotCount: 48),
        SizeClass(slotSize: 32 << 20, slotCount: 4),
    ])

    /// Checks the geometry: 1...8 classes, increasing sizes that are multiples of 64,
    /// counts in 1...65536, process capacity in 1...1024.
    func validate(poolName: String) throws {
        func bad(_ why: String) -> PoolError { .invalidConfiguration(pool: poolName, reason: why) }
        guard (1...8).contains(classes.count) else { throw bad("needs 1 to 8 size classes, got \(classes.count)") }
        guard (1...1024).contains(processCapacity) else { throw bad("processCapacity \(processCapacity) not in 1...1024") }
        var previous = 0
        for (i, c) in classes.enumerated() {
            guard c.slotSize > previous, c.slotSize % 64 == 0, c.slotSize <= 1 << 36 else {
                throw bad("class \(i): slotSize \(c.slotSize) must be a multiple of 64, larger than the class before")
            }
            guard (1...65536).contains(c.slotCount) else { throw bad("class \(i): slotCount \(c.slotCount) not in 1...65536") }
            previous = c.slotSize
        }
    }
}
