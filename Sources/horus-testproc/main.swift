// horus-testproc: the other process in horus's cross-process tests. Each role does one
// thing with shared memory and reports on stdout, one fact per line.
import Foundation
import HorusMemory
import HorusTopics
import CHorus
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

/// Image i: every byte is (i + position) mod 251, so each sample differs throughout.
func fillImage(_ img: Image, index i: Int) {
    let b = img.bytes
    for k in 0..<b.count { b[k] = UInt8((i + k) % 251) }
}

func checkImage(_ img: Image, index i: Int) -> Bool {
    let b = img.bytes
    for k in 0..<b.count where b[k] != UInt8((i + k) % 251) { return false }
    return true
}

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
    case "pub-images":
        // pub-images POOL TOPIC N SUBS PACE_US: wait for SUBS subscribers, publish N 32x32 images
        // whose bytes encode their index, then wait for a line.
        let topic = args[3], n = Int(args[4])!, subs = Int(args[5])!, pace = UInt32(args[6])!
        let publisher = try Publisher<Image>(topic: topic, capacity: 4096)
        while publisher.ring.participants.reduce(0, { $0 + $1.subscribers }) < subs { usleep(1000) }
        print("publishing")
        for i in 0..<n {
            let img = try Image(height: 32, width: 32, encoding: .rgb8, pool: pool, timestampNs: UInt64(i), frameID: "cam")
            fillImage(img, index: i)
            try publisher.publish(img)
            if pace > 0 { usleep(pace) }
        }
        print("published \(n)")
        waitForLine()
    case "pub-stamped":
        // pub-stamped POOL TOPIC N SUBS PACE_US H W: wait for SUBS subscribers, publish N
        // HxW rgb8 images stamped with CLOCK_MONOTONIC (ns) just before each publish
        // (latency benchmarks), pacing PACE_US between them, then wait for a line.
        guard args.count == 9, let n = Int(args[4]), let subs = Int(args[5]), let pace = UInt32(args[6]),
              let h = Int(args[7]), let w = Int(args[8]) else { fail("usage: pub-stamped POOL TOPIC N SUBS PACE_US H W") }
        let publisher = try Publisher<Image>(topic: args[3], capacity: 8)
        while publisher.ring.participants.reduce(0, { $0 + $1.subscribers }) < subs { usleep(1000) }
        print("publishing")
        for i in 0..<n {
            var img = try Image(height: h, width: w, encoding: .rgb8, pool: pool, frameID: "bench")
            img.bytes[0] = UInt8(truncatingIfNeeded: i)
            img.timestampNs = horus_monotonic_ns()
            try publisher.publish(img)
            if pace > 0 { usleep(pace) }
        }
        print("published \(n)")
        waitForLine()
    case "sub-images":
        // sub-images POOL TOPIC N: receive N images (5 s timeout each), verify each, report.
        let topic = args[3], n = Int(args[4])!
        let sub = try Subscriber<Image>(topic: topic, capacity: 4096, waitPolicy: .block)
        print("subscribed")
        var bad = 0, received = 0, outOfOrder = 0, last = -1
        while received < n, let img = sub.receive(timeout: 5) {
            let i = Int(img.timestampNs)
            if i <= last { outOfOrder += 1 }
            last = i
            if !checkImage(img, index: i) { bad += 1 }
            received += 1
        }
        print("result received=\(received) bad=\(bad) outOfOrder=\(outOfOrder) dropped=\(sub.droppedCount)")
    case "sub-truncated":
        // sub-truncated POOL TOPIC: receive one image, wait for a line (the parent then
        // truncates the topic's segment), receive again until the truncation is seen.
        let sub = try Subscriber<Image>(topic: args[3], capacity: 16, waitPolicy: .block)
        print("subscribed")
        print("got \(sub.receive(timeout: 5).map { _ in 1 } ?? 0)")
        waitForLine()
        var tries = 0
        while !sub.ring.isTruncated && tries < 25 {
            _ = sub.receive(timeout: 0.2)
            tries += 1
        }
        print("result truncated=\(sub.ring.isTruncated) received=\(sub.receivedCount)")
        print("error \(sub.lastRejection.map { "\($0)" } ?? "none")")
    case "sub-hold":
        // sub-hold POOL TOPIC K: receive K images, keep them, sleep until killed.
        let topic = args[3], k = Int(args[4])!
        let sub = try Subscriber<Image>(topic: topic, waitPolicy: .block)  // the existing ring's capacity
        print("subscribed")
        var held = [Image]()
        while held.count < k, let img = sub.receive(timeout: 10) { held.append(img) }
        print("holding \(held.count)")
        while true { sleep(1) }
    case "sub-lapped":
        // sub-lapped POOL TOPIC CAPACITY: subscribe, stall until a line arrives on stdin (the
        // publisher laps this reader meanwhile), then drain what the ring still holds.
        let topic = args[3], capacity = Int(args[4])!
        let sub = try Subscriber<Image>(topic: topic, capacity: capacity, waitPolicy: .block)
        print("subscribed")
        waitForLine()
        var received = 0, bad = 0, first = -1, last = -1
        while let img = sub.receive(timeout: 0.3) {
            let i = Int(img.timestampNs)
            if first < 0 { first = i }
            if i != last + 1 && last >= 0 { bad += 1 }  // after the skip, every sample in order
            if !checkImage(img, index: i) { bad += 1 }
            last = i
            received += 1
        }
        print("result received=\(received) dropped=\(sub.droppedCount) first=\(first) last=\(last) bad=\(bad)")
    case "open-as-cloud":
        // open-as-cloud POOL TOPIC: try to subscribe to an Image topic as PointCloud.
        do {
            _ = try Subscriber<PointCloud>(topic: args[3])
            print("opened")
        } catch {
            print("error \(error)")
        }
    default:
        fail("unknown role \(role)")
    }
} catch {
    fail("error: \(error)")
}
