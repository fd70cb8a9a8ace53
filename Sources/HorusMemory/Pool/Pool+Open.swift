import Atomics
import CHorus
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

extension Pool {
    /// Opens the pool `name` of this namespace: attaches to it if it exists, creates it
    /// with `configuration` otherwise. One `Pool` object per name per process: later calls
    /// return the same object. A leftover segment whose processes are all dead is
    /// replaced by a fresh one.
    public static func open(name: String = "default", configuration: PoolConfiguration = .default) throws -> Pool {
        try PoolRegistry.shared.open(name: name) { try Pool.openSegment(name: name, configuration: configuration, create: true) }
    }

    /// Attaches to an existing pool; throws if no process has created it.
    public static func attach(name: String) throws -> Pool {
        try PoolRegistry.shared.open(name: name) { try Pool.openSegment(name: name, configuration: nil, create: false) }
    }

    /// The process-wide default pool (`HORUS_POOL` or "default"), opened on first use.
    public static func shared() throws -> Pool {
        try open(name: ProcessInfoEnvironment.value("HORUS_POOL") ?? "default")
    }

    /// Leaves the pool now: this process's row is returned (and the segment removed from
    /// /dev/shm if no other process uses it), the pool is no longer found by name or by
    /// descriptor id, and its file descriptor and mapping are released when the last
    /// object referring to it goes. A later `open` of the name opens it afresh.
    ///
    /// Throws `PoolError.inUse` (and stays open) while this process still holds
    /// references on its slots. Close a pool only when nothing in the process uses it any
    /// more: no message of its slots alive, no thread publishing or receiving them.
    public func close() throws {
        try PoolRegistry.shared.close(self)
    }

    /// Leaves the pool: drops any references this process still holds and, if no live
    /// process remains, removes the segment from /dev/shm. Called for every pool at
    /// process exit (and by `close`); after it, objects of this pool must not be used.
    public func detach() {
        SharedParticipation.leave(segment: segment, table: participants, row: processIndex, onDead: { _ = releaseRow($0) })
    }

    static func fnv1a(_ s: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in s.utf8 { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }

    /// Joins the pool's segment (see `SharedParticipation.join`): creates it with
    /// `configuration` when `create`, takes over a leftover of dead processes when
    /// creating, attaches to what is there otherwise.
    static func openSegment(name: String, configuration: PoolConfiguration?, create: Bool) throws -> Pool {
        if let configuration { try configuration.validate(poolName: name) }
        let shmName = HorusNamespace.shmName(kind: "pool", name: name)
        let createSize = create ? configuration.map { PoolLayout(configuration: $0).segmentSize } : nil
        do {
            let joined = try SharedParticipation.join(
                name: shmName, createSize: createSize, leftover: create ? .takeOver : .join, magic: HORUS_POOL_MAGIC,
                initialize: { initialize(segment: $0, name: name, shmName: shmName, configuration: configuration!) },
                read: { seg -> Pool in try probe(segment: seg, name: name) },
                table: { $0.participants },
                onDead: { probe, row in _ = probe.releaseRow(row) },
                full: { PoolError.tooManyProcesses(pool: name, capacity: $0.configuration.processCapacity) })
            let found = joined.object
            return Pool(name: name, segment: joined.segment, configuration: found.configuration, layout: found.layout, processIndex: joined.row)
        } catch let e as SystemError {
            throw PoolError.system(e)
        }
    }

    /// Removes the pool segment `/dev/shm/<file>` of this namespace when no live process
    /// uses it (see `SharedParticipation.removeIfAbandoned`).
    package static func removeIfAbandoned(file: String) throws -> SharedParticipation.Sweep {
        let name = String(file.dropFirst((HorusNamespace.filePrefix + "pool-").count))
        return try SharedParticipation.removeIfAbandoned(
            name: "/" + file, magic: HORUS_POOL_MAGIC,
            read: { seg -> Pool in try probe(segment: seg, name: name) },
            table: { $0.participants }, onDead: { probe, row in _ = probe.releaseRow(row) })
    }

    /// A probe over a segment whose header validates (row 0's counts: only the process
    /// table is used).
    private static func probe(segment: SharedMemorySegment, name: String) throws -> Pool {
        let found = try readGeometry(segment: segment, name: name)
        return Pool(name: name, segment: segment, configuration: found.0, layout: found.1, processIndex: 0)
    }

    /// Writes the header, slot table and free lists of a new segment (lock held).
    private static func initialize(segment: SharedMemorySegment, name: String, shmName: String, configuration c: PoolConfiguration) {
        let layout = PoolLayout(configuration: c)
        let h = segment.base.assumingMemoryBound(to: horus_pool_header.self)
        h.pointee.layout_version = HORUS_POOL_LAYOUT_VERSION
        h.pointee.pool_id = fnv1a(shmName)
        h.pointee.segment_size = UInt64(layout.segmentSize)
        h.pointee.class_count = UInt32(c.classes.count)
        h.pointee.total_slots = UInt32(layout.totalSlots)
        h.pointee.process_capacity = UInt32(c.processCapacity)
        h.pointee.process_table_offset = UInt64(layout.processTableOffset)
        h.pointee.counts_offset = UInt64(layout.countsOffset)
        h.pointee.slot_table_offset = UInt64(layout.slotTableOffset)
        withUnsafeMutableBytes(of: &h.pointee.name) { buf in
            for (i, b) in name.utf8.prefix(buf.count - 1).enumerated() { buf[i] = b }
        }
        let slots = (segment.base + layout.slotTableOffset).assumingMemoryBound(to: horus_pool_slot.self)
        var rng = SystemRandomNumberGenerator()
        var first = 0
        withUnsafeMutableBytes(of: &h.pointee.classes) { raw in
            let classes = raw.baseAddress!.assumingMemoryBound(to: horus_pool_class.self)
            for (k, cls) in c.classes.enumerated() {
                classes[k].slot_size = UInt64(cls.slotSize)
                classes[k].slot_count = UInt32(cls.slotCount)
                classes[k].first_slot = UInt32(first)
                classes[k].data_offset = UInt64(layout.classDataOffsets[k])
                for i in 0..<cls.slotCount {
                    let s = first + i
                    slots[s].class_index = UInt32(k)
                    // Random start: a descriptor from an earlier incarnation never matches.
                    slots[s].generation = UInt32.random(in: 1...UInt32.max, using: &rng)
                    slots[s].next = i + 1 < cls.slotCount ? UInt32(s + 2) : 0
                }
                classes[k].free_head = UInt64(first + 1)
                first += cls.slotCount
            }
        }
        // Magic last: a reader that sees it sees a complete header.
        atomicU64(UnsafeMutableRawPointer(h)).store(HORUS_POOL_MAGIC, ordering: .releasing)
    }

    /// Reads and checks the geometry in a segment's header against the segment itself.
    private static func readGeometry(segment: SharedMemorySegment, name: String) throws -> (PoolConfiguration, PoolLayout) {
        func bad(_ why: String) -> PoolError { .incompatible(pool: name, reason: why) }
        guard segment.size >= Int(HORUS_POOL_HEADER_BYTES) else { throw bad("segment is \(segment.size) bytes, smaller than a header") }
        let h = segment.base.assumingMemoryBound(to: horus_pool_header.self).pointee
        guard h.magic == HORUS_POOL_MAGIC else { throw bad("bad magic 0x\(String(h.magic, radix: 16))") }
        guard h.layout_version == HORUS_POOL_LAYOUT_VERSION else {
            throw bad("layout version \(h.layout_version), this build uses \(HORUS_POOL_LAYOUT_VERSION)")
        }
        guard (1...Int(HORUS_POOL_MAX_CLASSES)).contains(Int(h.class_count)) else { throw bad("class count \(h.class_count)") }
        var classes = [PoolConfiguration.SizeClass]()
        withUnsafeBytes(of: h.classes) { raw in
            let cls = raw.baseAddress!.assumingMemoryBound(to: horus_pool_class.self)
            for k in 0..<Int(h.class_count) {
                classes.append(.init(slotSize: Int(truncatingIfNeeded: cls[k].slot_size), slotCount: Int(cls[k].slot_count)))
            }
        }
        let config = PoolConfiguration(classes: classes, processCapacity: Int(h.process_capacity))
        do { try config.validate(poolName: name) } catch { throw bad("header geometry invalid: \(error)") }
        let layout = PoolLayout(configuration: config)
        guard layout.segmentSize == Int(h.segment_size), layout.segmentSize <= segment.size,
              layout.countsOffset == Int(h.counts_offset), layout.slotTableOffset == Int(h.slot_table_offset),
              layout.processTableOffset == Int(h.process_table_offset), layout.totalSlots == Int(h.total_slots)
        else { throw bad("header offsets do not match its geometry or the segment size (\(segment.size) bytes)") }
        return (config, layout)
    }
}
