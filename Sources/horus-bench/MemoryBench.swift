import ArgumentParser
import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench memory`: the HorusMemory hot paths (slot allocation, views, descriptors,
/// DLPack, copy-in), each next to a plain baseline measured in the same run.
struct MemoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Pool slots, tensor views, descriptors, DLPack and copy-in latencies."
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "Samples per short operation.")
    var samples = 5_000

    @Option(help: "Calls timed together per sample for short operations (per-call time = sample / batch).")
    var batch = 64

    @Option(help: "Samples for each 6 MB copy (and as many of its memcpy baseline).")
    var copySamples = 300

    @Flag(help: "Also time the pieces of descriptor decode (registry lookup, tryRetain, frame id, ...).")
    var breakdown = false

    @Option(help: ArgumentHelp("Run only this many Image(descriptor:) decodes, untimed, then exit (for perf stat / perf record).",
                               visibility: .hidden))
    var profileDecode: Int?

    func validate() throws {
        guard samples > 0, batch > 0, copySamples > 0 else { throw ValidationError("samples, batch and copy-samples must be positive") }
    }

    func run() throws {
        Progress.quiet = common.quiet
        // Own namespace, set before any pool opens, so the bench never meets other pools.
        if getenv("HORUS_NAMESPACE") == nil { setenv("HORUS_NAMESPACE", "bench-\(getpid())", 1) }
        let pool = try Pool.open(name: "memory", configuration: PoolConfiguration(classes: [
            .init(slotSize: 256, slotCount: 1024),
            .init(slotSize: 4 << 10, slotCount: 64),
            .init(slotSize: 64 << 10, slotCount: 16),
            .init(slotSize: 8 << 20, slotCount: 8),
        ], processCapacity: 4))
        Progress.note("namespace \(HorusNamespace.current), pool '\(pool.name)' (\(pool.slotCount) slots)")
        let clock = LatencySampler.clockCharacteristics()
        Progress.note("clock: resolution \(clock.resolutionNs) ns, read cost \(String(format1: clock.readCostNs, 1)) ns")

        var results = [BenchResult]()
        let short = LatencySampler(samples: samples, batch: batch, warmupCalls: 10_000)
        func sampler(_ label: String) -> LatencySampler { var s = short; s.label = label; return s }

        // Floor: what the harness itself costs per call (closure call + blackHole).
        let floor = Percentiles(sampler("empty op").measure { blackHole(0) })
        results.append(BenchResult(name: "harness floor (empty op + blackHole)", stats: floor))

        // Slot alloc+free on the raw pool API vs malloc+free of the same size.
        let slotBytes = 256
        let alloc = Percentiles(try sampler("slot alloc+free").measure {
            let a = try pool.allocateSlot(byteCount: slotBytes)
            blackHole(a)
            pool.release(slot: a.slot)
        })
        let mallocFree = Percentiles(sampler("malloc+free").measure {
            let p = malloc(slotBytes)
            blackHole(p)
            free(p)
        })
        results.append(BenchResult(name: "slot alloc+free (256 B)", stats: alloc, baselineName: "malloc+free 256 B",
                                   baseline: mallocFree, goal: .p50AtMost(200)))

        // A 640x480 rgb8 image for the view / descriptor / DLPack measurements.
        let image = try Image(height: 480, width: 640, encoding: .rgb8, pool: pool)
        let tensorCopy = image.asTensor()
        let asTensor = Percentiles(sampler("asTensor").measure { blackHole(image.asTensor()) })
        let tensorBlackHole = Percentiles(sampler("Tensor copy").measure { blackHole(tensorCopy) })
        results.append(BenchResult(name: "Image.asTensor()", stats: asTensor, baselineName: "copy of a Tensor value",
                                   baseline: tensorBlackHole, goal: .p50AtMost(100)))

        // Descriptors vs a plain 144-byte memcpy.
        let src = UnsafeMutableRawPointer.allocate(byteCount: Descriptor.byteSize, alignment: 16)
        let dst = UnsafeMutableRawPointer.allocate(byteCount: Descriptor.byteSize, alignment: 16)
        defer { src.deallocate(); dst.deallocate() }
        image.descriptor().withUnsafeBytes { src.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let memcpy144 = Percentiles(sampler("memcpy 144 B").measure {
            memcpy(dst, src, Descriptor.byteSize)
            blackHole(dst)
        })
        let encode = Percentiles(sampler("descriptor encode").measure { blackHole(image.descriptor()) })
        results.append(BenchResult(name: "descriptor encode (image.descriptor())", stats: encode,
                                   baselineName: "memcpy 144 B", baseline: memcpy144))
        let descriptor = image.descriptor()
        if let n = profileDecode {  // a loop to run under `perf stat` / `perf record`
            for _ in 0..<n { blackHole(try Image(descriptor: descriptor)) }
            Progress.note("ran \(n) decodes")
            return
        }
        // Decode and drop are timed apart: each sample decodes `batch` views into a buffer
        // (timed), then drops them (untimed); the next row times the drop alone, and the
        // row after it the round trip as one operation.
        let kept = UnsafeMutablePointer<Image>.allocate(capacity: batch)
        defer { kept.deallocate() }
        let decode = Percentiles(try sampler("descriptor decode").measureKeeping({ i in
            (kept + i).initialize(to: try Image(descriptor: descriptor))
        }, finish: { kept.deinitialize(count: batch) }))
        results.append(BenchResult(name: "descriptor decode+validate (Image(descriptor:))", stats: decode,
                                   baselineName: "memcpy 144 B", baseline: memcpy144, goal: .p50AtMost(100),
                                   note: "validates all fields, tryRetain on the slot, SlotStorage object; the view is kept (dropped untimed)"))
        let drop = Percentiles(try sampler("drop of a decoded view").measureKeeping(prepare: {
            for i in 0..<batch { (kept + i).initialize(to: try Image(descriptor: descriptor)) }
        }, { i in (kept + i).deinitialize(count: 1) }))
        results.append(BenchResult(name: "drop of a decoded view (its slot reference)", stats: drop,
                                   baselineName: "memcpy 144 B", baseline: memcpy144,
                                   note: "SlotStorage deinit: the process's count and the slot's total, then free"))
        let roundTrip = Percentiles(try sampler("decode + drop").measure {
            let received = try Image(descriptor: descriptor)
            blackHole(received)
        })
        results.append(BenchResult(name: "decode + drop, one operation", stats: roundTrip,
                                   baselineName: "memcpy 144 B", baseline: memcpy144))

        if breakdown {
            // Pieces of the decode path, to see where its time goes.
            let registry = PoolRegistry.shared
            let slot = descriptor.raw.slot, generation = descriptor.raw.generation
            let parts: [(String, () throws -> Void)] = [
                ("  floor for these rows (escaping closure, empty)", { blackHole(0) }),
                ("  decode: descriptor.decode(expecting: .image)", { blackHole(try descriptor.decode(expecting: .image)) }),
                ("  decode: Image(decoded: descriptor.decode(...))", { blackHole(try Image(decoded: descriptor.decode(expecting: .image))) }),
                ("  decode: PoolRegistry.shared.pool(id:)", { blackHole(registry.pool(id: descriptor.raw.pool_id)) }),
                ("  decode: pool.tryRetain + release", {
                    blackHole(pool.tryRetain(slot: slot, generation: generation))
                    pool.release(slot: slot)
                }),
                ("  decode: descriptor.frameID (empty)", { blackHole(descriptor.frameID) }),
                ("  decode: pool.capacity(ofSlot:)", { blackHole(pool.capacity(ofSlot: slot)) }),
            ]
            for (name, op) in parts {
                results.append(BenchResult(name: name, stats: Percentiles(try sampler(name).measure(op))))
            }
        }

        // DLPack export + deleter vs malloc+free of the block the export allocates.
        let dims = Int(HORUS_MAX_DIMS) * 8 * 2
        let legacyBlock = MemoryLayout<DLManagedTensor>.stride + dims
        let versionedBlock = MemoryLayout<DLManagedTensorVersioned>.stride + dims
        let legacy = Percentiles(sampler("DLPack legacy").measure {
            let m = image.exportDLPack()
            blackHole(m)
            m.pointee.deleter!(m)
        })
        let mallocLegacy = Percentiles(sampler("malloc+free legacy block").measure {
            let p = malloc(legacyBlock)
            blackHole(p)
            free(p)
        })
        results.append(BenchResult(name: "DLPack export+delete (legacy)", stats: legacy,
                                   baselineName: "malloc+free \(legacyBlock) B", baseline: mallocLegacy))
        let versioned = Percentiles(sampler("DLPack versioned").measure {
            let m = image.exportDLPackVersioned()
            blackHole(m)
            m.pointee.deleter!(m)
        })
        let mallocVersioned = Percentiles(sampler("malloc+free versioned block").measure {
            let p = malloc(versionedBlock)
            blackHole(p)
            free(p)
        })
        results.append(BenchResult(name: "DLPack export+delete (versioned)", stats: versioned,
                                   baselineName: "malloc+free \(versionedBlock) B", baseline: mallocVersioned))

        results += try measureCopyIn(pool: pool)

        BenchOutput.emit(bench: "memory", title: "horus-bench memory (per-op latency; baseline = its p50, same run)",
                         results: results, json: common.json)
    }

    /// Copy-in of a 1920x1080 rgb8 frame from a Swift [UInt8] against a plain memcpy of
    /// the same size between two preallocated, pre-faulted buffers. Each variant is
    /// interleaved with its own memcpy samples so load from other processes hits both.
    private func measureCopyIn(pool: Pool) throws -> [BenchResult] {
        let (h, w, c) = (1080, 1920, 3)
        let n = h * w * c
        var pixels = [UInt8](repeating: 0, count: n)
        for i in 0..<n { pixels[i] = UInt8(truncatingIfNeeded: i &* 31) }

        // Baseline buffers: both written once so every page is faulted in.
        let a = malloc(n)!, b = malloc(n)!
        defer { free(a); free(b) }
        memset(a, 1, n)
        memset(b, 2, n)
        let plainMemcpy = {
            memcpy(b, a, n)
            blackHole(b)
        }

        // Variant 1: Image(copying:) allocates a slot each time. The 8 MiB class is LIFO, so
        // after the first iteration the same (already faulted) slot comes back.
        let first = try Image(height: h, width: w, encoding: .rgb8, copying: pixels, pool: pool)
        let reusedSlot = first.asTensor().storage.slot
        _ = consume first
        var sameSlot = true
        let copySampler = LatencySampler(samples: copySamples, batch: 1, warmupCalls: 20, label: "copy-in incl. alloc (6 MB)")
        let (withAlloc, memcpyA) = try copySampler.measureInterleaved({
            let img = try Image(height: h, width: w, encoding: .rgb8, copying: pixels, pool: pool)
            if img.asTensor().storage.slot != reusedSlot { sameSlot = false }
            blackHole(img)
        }, plainMemcpy)
        if !sameSlot { Progress.note("warning: copy-in did not always reuse the same slot (pages may have been cold)") }

        // Variant 2: copy into an image allocated (and zero-filled, so faulted) beforehand.
        let target = try Image(height: h, width: w, encoding: .rgb8, pool: pool)
        let dst = target.bytes
        var existingSampler = copySampler
        existingSampler.label = "copy into existing image (6 MB)"
        let (intoExisting, memcpyB) = existingSampler.measureInterleaved({
            pixels.withUnsafeBytes { src in _ = memcpy(dst.baseAddress!, src.baseAddress!, src.count) }
            blackHole(dst)
        }, plainMemcpy)

        let baseName = "memcpy 6 MB (warm buffers)"
        return [
            BenchResult(name: "copy-in incl. alloc (Image(copying:) 1920x1080x3)", stats: Percentiles(withAlloc),
                        baselineName: baseName, baseline: Percentiles(memcpyA),
                        note: "includes slot allocation + Dims/Tensor setup + release; slot reused (LIFO): \(sameSlot ? "yes" : "no")"),
            BenchResult(name: "copy into existing image (1920x1080x3)", stats: Percentiles(intoExisting),
                        baselineName: baseName, baseline: Percentiles(memcpyB), goal: .ratioAtMost(1.2),
                        note: "[UInt8] -> image.bytes of a preallocated, pre-faulted image"),
        ]
    }
}
