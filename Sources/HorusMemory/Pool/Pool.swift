import Atomics
import CHorus
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// A named shared-memory pool of reference-counted slots that any process knowing the
/// name can attach to. Pool-backed messages (Tensor, Image, PointCloud, DepthImage)
/// live in its slots from the moment they are allocated.
///
/// Each slot has an atomic total reference count, a generation counter bumped on every
/// allocation (so a descriptor naming a recycled slot is refused), the allocating pid,
/// and a lock-free free-list link. Each attached process also has its own row of
/// per-slot counts, so the references of a process that died can be found and returned
/// without touching those of live holders.
///
/// Allocation, retain and release are lock-free. Attach, detach and dead-process
/// reclamation take the segment's flock.
public final class Pool: @unchecked Sendable {
    /// The pool's name (without namespace).
    public let name: String
    /// The id carried in descriptors: FNV-1a of the full shm name.
    public let id: UInt32
    /// The geometry the pool was created with (read from the segment when attaching).
    public let configuration: PoolConfiguration

    let segment: SharedMemorySegment
    let header: UnsafeMutablePointer<horus_pool_header>
    let slots: UnsafeMutablePointer<horus_pool_slot>
    let counts: UnsafeMutablePointer<UInt32>
    /// The process table (`horus_pool_process` rows).
    let participants: ParticipantTable
    let layout: PoolLayout
    let totalSlots: Int
    let processCapacity: Int
    /// False once the pool is closed (`Pool.close`): caches that hold the object
    /// (publishers, subscribers) check it and look the pool up again.
    private let openState = UnsafeAtomic<Bool>.create(true)
    /// Allocations refused because a free list in shared memory named a slot outside its class.
    private let damagedFreeLists = UnsafeAtomic<Int>.create(0)
    /// This process's row in the process table.
    let processIndex: Int
    /// This process's pid, recorded as a claimed slot's owner (read once, not per allocation).
    private let ownerPID = ProcessIdentity.current.pid
    private let myCounts: UnsafeMutablePointer<UInt32>
    /// Per class: first global slot, slot size, data address (a local copy of the
    /// validated header, so the hot path never trusts shared memory for addresses).
    /// A C struct, shared with the descriptor validator (horus_descriptor_check); the
    /// decode and allocation hot paths read it with no bounds checks or retains
    /// (indices come from classIndex, always valid).
    @usableFromInline let geometry: UnsafeMutablePointer<horus_pool_geometry>
    private let classCount: Int

    init(name: String, segment: SharedMemorySegment, configuration: PoolConfiguration, layout: PoolLayout, processIndex: Int) {
        self.name = name
        self.segment = segment
        self.configuration = configuration
        self.layout = layout
        self.header = segment.base.assumingMemoryBound(to: horus_pool_header.self)
        self.id = header.pointee.pool_id
        self.slots = (segment.base + layout.slotTableOffset).assumingMemoryBound(to: horus_pool_slot.self)
        self.counts = (segment.base + layout.countsOffset).assumingMemoryBound(to: UInt32.self)
        self.participants = ParticipantTable(rows: segment.base + layout.processTableOffset, count: configuration.processCapacity,
                                             stride: MemoryLayout<horus_pool_process>.stride)
        self.totalSlots = layout.totalSlots
        self.processCapacity = configuration.processCapacity
        self.processIndex = processIndex
        self.myCounts = counts + processIndex * layout.totalSlots
        var g = horus_pool_geometry()
        g.pool_id = header.pointee.pool_id
        g.slot_count = UInt64(layout.totalSlots)
        g.class_count = UInt32(configuration.classes.count)
        var next = 0
        for (i, c) in configuration.classes.enumerated() {
            withUnsafeMutableBytes(of: &g.class_first) { $0.storeBytes(of: UInt64(next), toByteOffset: i * 8, as: UInt64.self) }
            withUnsafeMutableBytes(of: &g.class_size) { $0.storeBytes(of: UInt64(c.slotSize), toByteOffset: i * 8, as: UInt64.self) }
            let data = segment.base + layout.classDataOffsets[i]
            withUnsafeMutableBytes(of: &g.class_data) { $0.storeBytes(of: data, toByteOffset: i * 8, as: UnsafeMutableRawPointer.self) }
            next += c.slotCount
        }
        geometry = .allocate(capacity: 1)
        geometry.initialize(to: g)
        classCount = configuration.classes.count
    }

    deinit {
        geometry.deallocate()
        openState.destroy()
        damagedFreeLists.destroy()
    }

    /// True until the pool is closed in this process (`close()`); a closed object's
    /// slots must not be used (a later `open` of the name returns a new object).
    public var isOpen: Bool {
        @inline(__always) get { openState.load(ordering: .relaxed) }
    }

    /// Marks the object closed (registry, mutex held).
    func markClosed() { openState.store(false, ordering: .relaxed) }

    /// Per-class geometry, read without bounds checks (k < classCount).
    @inline(__always) private func classFirst(_ k: Int) -> Int {
        Int(truncatingIfNeeded: UnsafeRawPointer(geometry).load(
            fromByteOffset: MemoryLayout<horus_pool_geometry>.offset(of: \.class_first)! + k * 8, as: UInt64.self))
    }
    @inline(__always) private func classSize(_ k: Int) -> Int {
        Int(truncatingIfNeeded: UnsafeRawPointer(geometry).load(
            fromByteOffset: MemoryLayout<horus_pool_geometry>.offset(of: \.class_size)! + k * 8, as: UInt64.self))
    }
    @inline(__always) private func classData(_ k: Int) -> UnsafeMutableRawPointer {
        UnsafeRawPointer(geometry).load(
            fromByteOffset: MemoryLayout<horus_pool_geometry>.offset(of: \.class_data)! + k * 8, as: UnsafeMutableRawPointer.self)
    }

    // MARK: - Slot geometry

    /// The size class of a slot (slot must be < totalSlots).
    @inline(__always)
    func classIndex(ofSlot slot: Int) -> Int {
        var k = classCount - 1
        while classFirst(k) > slot { k -= 1 }
        return k
    }

    /// Capacity in bytes of a slot.
    @inline(__always)
    public func capacity(ofSlot slot: UInt32) -> Int { classSize(classIndex(ofSlot: Int(slot))) }

    /// Start of a slot's data. The slot index must have been validated (< slotCount).
    @inline(__always)
    public func dataPointer(slot: UInt32) -> UnsafeMutableRawPointer { slotData(Int(slot)).start }

    /// A slot's data: its start and its class's slot size, from one class lookup (s < totalSlots).
    @inline(__always)
    func slotData(_ s: Int) -> (start: UnsafeMutableRawPointer, size: Int) {
        let k = classIndex(ofSlot: s), size = classSize(k)
        return (classData(k) + (s - classFirst(k)) * size, size)
    }

    /// Number of slots in the pool.
    public var slotCount: Int { totalSlots }

    /// Allocations this process refused because the pool's shared free-list metadata was
    /// damaged (a head naming a slot outside its size class).
    public var damagedAllocationCount: Int { damagedFreeLists.load(ordering: .relaxed) }

    @inline(__always) func refcount(_ s: Int) -> UnsafeAtomic<UInt32> { atomicU32(UnsafeMutableRawPointer(slots + s)) }
    @inline(__always) func generationAtomic(_ s: Int) -> UnsafeAtomic<UInt32> {
        atomicU32(UnsafeMutableRawPointer(slots + s) + MemoryLayout<horus_pool_slot>.offset(of: \.generation)!)
    }
    @inline(__always) func nextAtomic(_ s: Int) -> UnsafeAtomic<UInt32> {
        atomicU32(UnsafeMutableRawPointer(slots + s) + MemoryLayout<horus_pool_slot>.offset(of: \.next)!)
    }
    @inline(__always) func lengthAtomic(_ s: Int) -> UnsafeAtomic<UInt64> {
        atomicU64(UnsafeMutableRawPointer(slots + s) + MemoryLayout<horus_pool_slot>.offset(of: \.length)!)
    }
    @inline(__always) func ownerAtomic(_ s: Int) -> UnsafeAtomic<Int32> {
        atomicI32(UnsafeMutableRawPointer(slots + s) + MemoryLayout<horus_pool_slot>.offset(of: \.owner_pid)!)
    }
    @inline(__always) func classField(_ k: Int, _ offset: Int) -> UnsafeMutableRawPointer {
        let classes = UnsafeMutableRawPointer(header) + MemoryLayout<horus_pool_header>.offset(of: \.classes)!
        return classes + k * MemoryLayout<horus_pool_class>.stride + offset
    }
    @inline(__always) func freeHead(_ k: Int) -> UnsafeAtomic<UInt64> {
        atomicU64(classField(k, MemoryLayout<horus_pool_class>.offset(of: \.free_head)!))
    }
    @inline(__always) func inUse(_ k: Int) -> UnsafeAtomic<UInt32> {
        atomicU32(classField(k, MemoryLayout<horus_pool_class>.offset(of: \.in_use)!))
    }
    @inline(__always) func highWater(_ k: Int) -> UnsafeAtomic<UInt32> {
        atomicU32(classField(k, MemoryLayout<horus_pool_class>.offset(of: \.high_water)!))
    }
    @inline(__always) func myCount(_ s: Int) -> UnsafeAtomic<UInt32> {
        atomicU32(UnsafeMutableRawPointer(myCounts + s))
    }

    // MARK: - Free lists (Treiber stacks with an ABA tag in the high 32 bits)

    /// The slot a free-list head or link names (index + 1; 0 = empty), or -1 when that
    /// index is not a slot of class k: the head is shared memory, checked before use.
    @inline(__always)
    private func linkedSlot(_ k: Int, _ link: UInt64) -> Int {
        let idx = Int(link & 0xFFFF_FFFF)
        if idx == 0 { return 0 }
        let end = k + 1 < classCount ? classFirst(k + 1) : totalSlots
        return idx > classFirst(k) && idx <= end ? idx : -1
    }

    /// Pops a free slot of class k: nil when the class is empty, -1 when its free list
    /// names a slot outside the class (damaged metadata: nothing is touched).
    @inline(__always)
    private func pop(_ k: Int) -> Int? {
        let head = freeHead(k)
        var h = head.load(ordering: .acquiring)
        while true {
            let idx = linkedSlot(k, h)
            if idx == 0 { return nil }
            if idx < 0 { return -1 }
            let next = UInt64(nextAtomic(idx - 1).load(ordering: .relaxed))
            let newHead = ((h >> 32) &+ 1) << 32 | next
            let (ok, seen) = head.weakCompareExchange(expected: h, desired: newHead, ordering: .acquiringAndReleasing)
            if ok { return idx - 1 }
            h = seen
        }
    }

    @inline(__always)
    private func push(_ k: Int, _ s: Int) {
        let head = freeHead(k)
        var h = head.load(ordering: .relaxed)
        while true {
            nextAtomic(s).store(UInt32(truncatingIfNeeded: h & 0xFFFF_FFFF), ordering: .relaxed)
            let newHead = ((h >> 32) &+ 1) << 32 | UInt64(s + 1)
            let (ok, seen) = head.weakCompareExchange(expected: h, desired: newHead, ordering: .acquiringAndReleasing)
            if ok { return }
            h = seen
        }
    }

    // MARK: - Allocation and references

    /// A freshly allocated slot: its index and generation. The caller holds one reference.
    public struct Allocation: Equatable, Sendable {
        public let slot: UInt32
        public let generation: UInt32
    }

    /// Takes a slot that holds at least `byteCount` bytes, with one reference owned by
    /// this process. Lock-free; on exhaustion, reclaims slots of dead processes once and
    /// retries, then throws `PoolError.exhausted` naming the pool, size and usage.
    public func allocateSlot(byteCount: Int) throws -> Allocation {
        guard byteCount >= 0, byteCount <= classSize(classCount - 1) else {
            throw PoolError.tooLarge(pool: name, requested: byteCount, largest: classSize(classCount - 1))
        }
        var first = 0
        while classSize(first) < byteCount { first += 1 }
        var damaged: Int?
        for attempt in 0..<2 {
            for k in first..<classCount {
                guard let s = pop(k) else { continue }
                if s < 0 {
                    damaged = damaged ?? k
                    continue
                }
                return claim(s, classIndex: k, length: byteCount)
            }
            if attempt == 0 && reclaimDeadProcesses() == 0 { break }
        }
        if let k = damaged {
            damagedFreeLists.wrappingIncrement(ordering: .relaxed)
            let c = configuration.classes[k]
            throw PoolError.damaged(pool: name, reason: "the free list of size class \(c.slotSize) B names slot index "
                + "\(Int(freeHead(k).load(ordering: .relaxed) & 0xFFFF_FFFF) - 1), outside the class's slots "
                + "\(classFirst(k))..<\(classFirst(k) + c.slotCount)")
        }
        let c = configuration.classes[first]
        throw PoolError.exhausted(pool: name, requested: byteCount, slotSize: c.slotSize,
                                  inUse: Int(inUse(first).load(ordering: .relaxed)), capacity: c.slotCount)
    }

    @inline(__always)
    private func claim(_ s: Int, classIndex k: Int, length: Int) -> Allocation {
        // Only the claimer of a popped slot writes its generation: a plain load and store
        // (the releasing store of the reference count below publishes it), not a locked add.
        var gen = generationAtomic(s).load(ordering: .relaxed) &+ 1
        if gen == 0 { gen = 1 }
        generationAtomic(s).store(gen, ordering: .relaxed)
        lengthAtomic(s).store(UInt64(length), ordering: .relaxed)
        ownerAtomic(s).store(ownerPID, ordering: .relaxed)
        // This process's count of a free slot is 0 and no thread of it holds the slot (every
        // release decremented it before the slot was pushed, which the pop acquired): a
        // plain store too.
        myCount(s).store(myCount(s).load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        refcount(s).store(1, ordering: .releasing)
        let used = inUse(k).wrappingIncrementThenLoad(ordering: .relaxed)
        let hw = highWater(k)
        var seen = hw.load(ordering: .relaxed)
        while used > seen {
            let (ok, now) = hw.weakCompareExchange(expected: seen, desired: used, ordering: .relaxed)
            if ok { break }
            seen = now
        }
        return Allocation(slot: UInt32(s), generation: gen)
    }

    /// Adds a reference owned by this process to a slot it already holds.
    @inline(__always)
    public func retain(slot: UInt32) {
        let s = Int(slot)
        myCount(s).wrappingIncrement(ordering: .relaxed)
        refcount(s).wrappingIncrement(ordering: .relaxed)
    }

    /// Drops a reference owned by this process; the last reference anywhere returns the slot.
    @inline(__always)
    public func release(slot: UInt32) {
        let s = Int(slot)
        myCount(s).wrappingDecrement(ordering: .relaxed)
        dropTotal(s, by: 1)
    }

    /// Takes a reference on a slot named by a descriptor, if the slot is still allocated
    /// with this generation. Returns false for a freed or recycled slot.
    public func tryRetain(slot: UInt32, generation: UInt32) -> Bool {
        let s = Int(slot)
        guard s < totalSlots else { return false }
        let rc = refcount(s)
        var current = rc.load(ordering: .relaxed)
        while true {
            if current == 0 || current >= 0x7FFF_FFFF { return false }
            let (ok, seen) = rc.weakCompareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if ok { break }
            current = seen
        }
        myCount(s).wrappingIncrement(ordering: .relaxed)
        if generationAtomic(s).load(ordering: .acquiring) != generation {
            release(slot: slot)
            return false
        }
        return true
    }

    /// Adds a reference not owned by any process: held by a shared structure (a topic
    /// ring entry) and dropped with `releaseShared`. The caller must hold a reference.
    @inline(__always)
    public func retainShared(slot: UInt32) {
        refcount(Int(slot)).wrappingIncrement(ordering: .relaxed)
    }

    /// Drops a reference taken with `retainShared`.
    @inline(__always)
    public func releaseShared(slot: UInt32) {
        dropTotal(Int(slot), by: 1)
    }

    @inline(__always)
    private func dropTotal(_ s: Int, by n: UInt32) {
        let before = refcount(s).loadThenWrappingDecrement(by: n, ordering: .acquiringAndReleasing)
        if before == n {
            free(s)
        } else if before < n {  // never happens with balanced use; repair rather than corrupt
            refcount(s).wrappingIncrement(by: n &- before, ordering: .relaxed)
        }
    }

    private func free(_ s: Int) {
        let k = classIndex(ofSlot: s)
        inUse(k).wrappingDecrement(ordering: .relaxed)
        push(k, s)
    }

    // MARK: - Introspection

    /// Current total reference count of a slot (for tests and diagnostics).
    public func referenceCount(slot: UInt32) -> UInt32 { refcount(Int(slot)).load(ordering: .acquiring) }

    /// Current generation of a slot.
    public func generation(slot: UInt32) -> UInt32 { generationAtomic(Int(slot)).load(ordering: .acquiring) }

    /// Bytes requested by the slot's current allocation.
    public func allocatedLength(slot: UInt32) -> Int { Int(lengthAtomic(Int(slot)).load(ordering: .acquiring)) }

    /// Usage of each size class.
    public var statistics: PoolStatistics {
        PoolStatistics(classes: configuration.classes.enumerated().map { k, c in
            .init(slotSize: c.slotSize, capacity: c.slotCount,
                  inUse: Int(inUse(k).load(ordering: .relaxed)),
                  highWater: Int(highWater(k).load(ordering: .relaxed)))
        })
    }

    /// Slots in use across all classes.
    public var slotsInUse: Int { statistics.classes.reduce(0) { $0 + $1.inUse } }

    // MARK: - Dead processes

    /// Returns the references of every registered process that is no longer alive to the
    /// pool (freeing slots only they held) and frees their process-table entries.
    /// Live holders are not touched. Returns the number of references returned.
    @discardableResult
    public func reclaimDeadProcesses() -> Int {
        segment.lock()
        defer { segment.unlock() }
        return reclaimDeadLocked()
    }

    func reclaimDeadLocked() -> Int {
        var returned = 0
        participants.reclaimDead { returned += releaseRow($0) }
        return returned
    }

    /// Zeroes a process's count row, dropping its references from the totals.
    func releaseRow(_ p: Int) -> Int {
        var returned = 0
        let row = counts + p * totalSlots
        for s in 0..<totalSlots {
            let c = atomicU32(UnsafeMutableRawPointer(row + s)).exchange(0, ordering: .acquiringAndReleasing)
            if c != 0 {
                returned += Int(c)
                dropTotal(s, by: c)
            }
        }
        return returned
    }

    /// Live processes registered in the pool (this one included).
    public var attachedProcessCount: Int { participants.liveRows.count }

    /// References this process holds on the pool's slots (its count row's sum).
    var referencesHeldByThisProcess: Int {
        (0..<totalSlots).reduce(0) { $0 + Int(myCount($1).load(ordering: .relaxed)) }
    }
}

/// Usage of a pool's size classes.
public struct PoolStatistics: Equatable, Sendable {
    /// Usage of one size class.
    public struct SizeClassUsage: Equatable, Sendable {
        public let slotSize: Int
        public let capacity: Int
        public let inUse: Int
        public let highWater: Int
    }
    public let classes: [SizeClassUsage]
}
