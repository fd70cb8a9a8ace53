// horus-testproc: the other process in horus's cross-process tests. Each role does one
// thing with shared memory and reports on stdout, one fact per line.
import Foundation
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

setvbuf(stdout, nil, _IOLBF, 0)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(2)
}

/// FNV-1a over a buffer: the content checksum both sides compute.
func checksum(_ b: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
    return h
}

func waitForLine() { _ = readLine() }

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: horus-testproc ROLE POOL [ARGS...]") }
let role = args[1], poolName = args[2]

do {
    let pool = try Pool.attach(name: poolName)
    switch role {
    case "read-image":
        // read-image POOL HEXDESC: decode, print checksum and a pixel, then wait for a line.
        guard args.count == 4, let d = Descriptor(hex: args[3]) else { fail("bad descriptor argument") }
        let img = try Image(descriptor: d)
        print("checksum \(checksum(UnsafeRawBufferPointer(img.bytes)))")
        print("pixel \(img.pixel(x: 1, y: 2).map(String.init).joined(separator: ","))")
        print("refcount \(pool.referenceCount(slot: d.raw.slot))")
        waitForLine()
    case "write-image":
        // write-image POOL H W: allocate and fill an image, print its descriptor, wait.
        let h = Int(args[3])!, w = Int(args[4])!
        let img = try Image(height: h, width: w, encoding: .rgb8, pool: pool, timestampNs: 42, frameID: "child")
        let b = img.bytes
        for i in 0..<b.count { b[i] = UInt8(truncatingIfNeeded: i &* 7 &+ 3) }
        print("checksum \(checksum(UnsafeRawBufferPointer(b)))")
        print("desc \(img.descriptor().hexString)")
        waitForLine()
        print("exiting")
    case "hold":
        // hold POOL N [HEXDESC]: allocate N slots and retain a descriptor, then sleep until killed.
        let n = Int(args[3])!
        var held = [Tensor]()
        for _ in 0..<n { held.append(try Tensor(shape: [100], dtype: .uint8, pool: pool)) }
        var retained: Tensor?
        if args.count == 5, let d = Descriptor(hex: args[4]) { retained = try Tensor(decoded: d.decode()) }
        print("ready \(held.count) \(retained == nil ? 0 : 1)")
        while true { sleep(1) }
    default:
        fail("unknown role \(role)")
    }
} catch {
    fail("error: \(error)")
}
