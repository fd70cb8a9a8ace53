// horus-bridge-peer: the horus side of the two-host bridge tests. Publishes or receives
// Costmap / DepthImage topics in this process's HORUS_NAMESPACE and prints one fact per line.
//   pub-costmap TOPIC N INTERVAL_MS GOFILE   create the topic, wait for GOFILE, publish N costmaps
//   pub-depth TOPIC N HZ GOFILE              same with 640x480 float32 depth images
//   sub-costmap TOPIC N TIMEOUT_S [STOPFILE] print "costmap <stamp> <checksum> <occupancy checksum> WxH
//                                            <checksum after nav2's cost->occupancy->cost>" per message
//   sub-depth TOPIC N TIMEOUT_S              check every frame's pattern, print a result line
//   sub-depth-sums TOPIC N TIMEOUT_S STOPFILE CAPACITY
//                                            print "depth <stamp> WxH <frame> <crc32 of the pixels>" per
//                                            frame (any depth images, e.g. a camera's; CAPACITY 0: the
//                                            ring's own, else the capacity to create it with)
// Subscribers stop after N messages, TIMEOUT_S seconds or once STOPFILE exists, then print "result".
import CHorus
import Foundation
import HorusMemory
import HorusMessages
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

setvbuf(stdout, nil, _IOLBF, 0)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(("horus-bridge-peer: " + message + "\n").data(using: .utf8)!)
    exit(2)
}

/// FNV-1a over the bytes: the checksum both hosts compute.
func checksum(_ b: UnsafeRawBufferPointer, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var h = seed
    for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
    return h
}

/// Cells `cells`, then geometry and frame id of costmap `c`.
func checksum(_ c: Costmap, cells: UnsafeRawBufferPointer) -> UInt64 {
    var h = checksum(cells)
    let g = c.geometry
    var geo = (Int64(g.width), Int64(g.height), g.resolution, g.originX, g.originY)
    h = withUnsafeBytes(of: &geo) { checksum($0, seed: h) }
    return Array(c.frameID.utf8).withUnsafeBytes { checksum($0, seed: h) }
}

/// Cells, geometry and frame id of a costmap.
func checksum(_ c: Costmap) -> UInt64 { checksum(c, cells: UnsafeRawBufferPointer(c.bytes)) }

/// FNV-1a of the ROS 2 occupancy bytes (nav2's table) of a costmap: what a ROS 2 reader checksums.
func occupancyChecksum(_ c: Costmap) -> UInt64 {
    let occ = c.bytes.map { UInt8(bitPattern: Costmap.occupancyOfCost[Int($0)]) }
    return occ.withUnsafeBytes { checksum($0) }
}

/// The checksum of `c` after nav2's cost -> occupancy -> cost translation (what a costmap becomes
/// once it crossed DDS as an OccupancyGrid): equal to `checksum(c)` when every cost is in `stableCosts`.
func roundTripChecksum(_ c: Costmap) -> UInt64 {
    let costs = c.bytes.map { Costmap.costOfOccupancy[Int(UInt8(bitPattern: Costmap.occupancyOfCost[Int($0)]))]! }
    return costs.withUnsafeBytes { checksum(c, cells: $0) }
}

/// Costs that survive Costmap -> OccupancyGrid -> Costmap unchanged (nav2's table is lossy between 1 and 252).
let stableCosts: [UInt8] = Array(Set(Costmap.costOfOccupancy.compactMap { $0 })).sorted()

/// Depth value of pixel k in frame i is ((7i + k) mod 4096) / 1000: exact in float32, different in
/// every frame. Frame i is `depthPattern` from offset 7i mod 4096 (copied and compared with memcpy/memcmp,
/// so a debug build keeps up with 30 Hz).
let depthPixels = 640 * 480
let depthPattern: [Float] = (0..<(depthPixels + 4096)).map { Float($0 % 4096) * 0.001 }
func depthFrame<R>(_ i: Int, _ body: (UnsafeRawPointer) -> R) -> R {
    depthPattern.withUnsafeBytes { body($0.baseAddress! + ((i * 7) % 4096) * 4) }
}

func waitForFile(_ path: String) {
    let deadline = Date().addingTimeInterval(120)
    while access(path, F_OK) != 0 {
        if Date() > deadline { fail("\(path) did not appear within 120 s") }
        usleep(20_000)
    }
}

let args = CommandLine.arguments
guard args.count >= 5 else { fail("usage: horus-bridge-peer ROLE TOPIC N ARG [GOFILE]") }
let role = args[1], topic = args[2]

/// True once the optional stop file (argument `index`) exists.
func stopRequested(_ index: Int) -> Bool { args.count > index && access(args[index], F_OK) == 0 }

/// Prints "subscribed", then hands `body` each message until `n` came, `seconds` passed or the
/// stop file (argument 5) exists; prints "result received=<count> <extra()> dropped=<laps>".
func receive<M>(_ sub: Subscriber<M>, _ n: Int, seconds: Double, _ body: (M) -> Void, extra: () -> String = { "" }) {
    print("subscribed \(sub.topic)")
    var received = 0
    let deadline = Date().addingTimeInterval(seconds)
    while received < n, Date() < deadline, !stopRequested(5) {
        guard let m = sub.receive(timeout: 0.2) else { continue }
        received += 1
        body(m)
    }
    let more = extra()
    print("result received=\(received) \(more.isEmpty ? "" : more + " ")dropped=\(sub.droppedCount)")
}
guard let n = Int(args[3]), n > 0, let arg = Double(args[4]), arg > 0 else { fail("bad N or argument: \(args)") }

do {
    let pool = try Pool.shared()
    switch role {
    case "pub-costmap":
        guard args.count == 6 else { fail("pub-costmap TOPIC N INTERVAL_MS GOFILE") }
        let publisher = try Publisher<Costmap>(topic: topic)
        print("created \(topic)")
        waitForFile(args[5])
        let geometry = CostmapGeometry(width: 200, height: 200, resolution: 0.05, originX: 0, originY: -5)
        for i in 1...n {
            let c = try Costmap(geometry: geometry, pool: pool, timestampNs: UInt64(i), frameID: "map")
            let b = c.bytes
            for k in 0..<b.count { b[k] = stableCosts[(k &* 31 &+ i &* 17) % stableCosts.count] }
            try publisher.publish(c)
            print("published \(i) \(checksum(c)) \(occupancyChecksum(c))")
            usleep(UInt32(arg * 1000))
        }
        print("done \(n)")
        sleep(5)  // let the bridge drain before the topic goes
    case "pub-depth":
        guard args.count == 6 else { fail("pub-depth TOPIC N HZ GOFILE") }
        let publisher = try Publisher<DepthImage>(topic: topic)
        print("created \(topic)")
        waitForFile(args[5])
        let period = 1.0 / arg
        let start = Date()
        for i in 1...n {
            let d = try DepthImage(height: 480, width: 640, pool: pool, timestampNs: UInt64(i), frameID: "depth", zeroed: false)
            depthFrame(i) { memcpy(d.asTensor().baseAddress, $0, depthPixels * 4) }
            try publisher.publish(d)
            let next = start.addingTimeInterval(Double(i) * period).timeIntervalSinceNow
            if next > 0 { usleep(UInt32(next * 1e6)) }
        }
        print("done \(n) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        sleep(5)
    case "sub-costmap":
        let sub = try Subscriber<Costmap>(topic: topic, capacity: nil, waitPolicy: .block)
        receive(sub, n, seconds: arg) { c in
            print("costmap \(c.timestampNs) \(checksum(c)) \(occupancyChecksum(c)) \(c.geometry.width)x\(c.geometry.height) \(roundTripChecksum(c))")
        }
    case "sub-depth":
        let sub = try Subscriber<DepthImage>(topic: topic, capacity: nil, waitPolicy: .block)
        var bad = 0, gaps = 0, last = 0
        receive(sub, n, seconds: arg, { d in
            let i = Int(d.timestampNs)
            if i != last + 1 { gaps += 1 }
            last = i
            let ok = d.height == 480 && d.width == 640 && d.isMeters && d.frameID == "depth"
                && d.nbytes == depthPixels * 4 && depthFrame(i) { memcmp(d.asTensor().baseAddress, $0, depthPixels * 4) == 0 }
            if !ok { bad += 1 }
        }, extra: { "bad=\(bad) gaps=\(gaps) last=\(last)" })
    case "sub-depth-sums":
        guard args.count == 7, let capacity = Int(args[6]), capacity >= 0 else { fail("sub-depth-sums TOPIC N TIMEOUT_S STOPFILE CAPACITY") }
        let sub = try Subscriber<DepthImage>(topic: topic, capacity: capacity == 0 ? nil : capacity, waitPolicy: .block)
        receive(sub, n, seconds: arg) { d in
            print("depth \(d.timestampNs) \(d.width)x\(d.height) \(d.frameID) \(horus_crc32_update(0, d.asTensor().baseAddress, d.nbytes))")
        }
    default:
        fail("unknown role \(role)")
    }
} catch {
    fail("\(error)")
}
