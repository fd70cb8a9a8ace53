import Foundation
import HorusTestSupport
import XCTest

/// A bridge's DDS sockets get a receive buffer of min(4 MiB, net.core.rmem_max) by default
/// (libhorus_dds creates the domain with that ahead of CYCLONEDDS_URI): Cyclone's own ~1 MiB
/// loses multi-megabyte frames that arrive as a burst of fragments. A user configuration that
/// sets the size wins. Read from the kernel (`ss -m`: rb is twice what was asked).
final class BridgeSocketBufferTests: XCTestCase {
    private var runPath: String { helperExecutable("horus-run").path }

    /// Receive buffer sizes (skmem rb) of the UDP sockets of `pid` in host `side`.
    private func receiveBuffers(_ pair: NetnsPair, _ side: String, pid: Int32) throws -> [Int] {
        let ss = try pair.start(side, ["ss", "-uampn"])
        XCTAssertEqual(ss.finish(timeout: 20), 0, "\(ss.lines)")
        var sizes: [Int] = [], mine = false
        for line in ss.lines {
            if line.contains("users:(") { mine = line.contains("pid=\(pid),"); continue }
            guard mine, let r = line.range(of: "rb") else { continue }
            sizes.append(Int(line[r.upperBound...].prefix { $0.isNumber }) ?? -1)
        }
        return sizes
    }

    private var expected: Int {
        let max = (try? String(contentsOfFile: "/proc/sys/net/core/rmem_max", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return 2 * Swift.min(4 << 20, max)
    }

    /// The bridge process itself (dds-netns exec runs it through `ip netns exec` and `env`).
    private func bridgePid(_ pair: NetnsPair, _ side: String) throws -> Int32 {
        let pg = try pair.start(side, ["pgrep", "-n", "-f", "horus-run bridge --export /socket/buffer"])
        XCTAssertEqual(pg.finish(timeout: 10), 0, "\(pg.lines)")
        return try XCTUnwrap(pg.lines.first.flatMap { Int32($0) })
    }

    func testBridgeSocketsGetTheLargerReceiveBufferAndTheUserConfigurationWins() throws {
        let pair = try makeNetnsPair()
        let ns = "\(pair.name)sb"
        addTeardownBlock { assertNoSharedMemory([ns]) }
        // (Where rmem_max is below Cyclone's own 1 MiB request both come out the same; here, and on
        // the CI machine, rmem_max is 4 MiB, so the first check tells them apart.)

        let bridge = try pair.start("a", ["env", "HORUS_NAMESPACE=\(ns)", runPath, "bridge", "--export", "/socket/buffer", "--duration", "30"])
        XCTAssertNotNil(bridge.waitForLine("bridge domain 0", timeout: 30), "\(bridge.lines)")
        let sizes = try receiveBuffers(pair, "a", pid: try bridgePid(pair, "a"))
        XCTAssertFalse(sizes.isEmpty, "the bridge has DDS sockets")
        XCTAssertEqual(Set(sizes), [expected], "every socket of the bridge: \(sizes)")
        bridge.finish(timeout: 0)

        // CYCLONEDDS_URI comes after horus's default: a size set there is the one used.
        let own = try pair.start("a", ["sh", "-c", "CYCLONEDDS_URI=\"$CYCLONEDDS_URI,<Internal><SocketReceiveBufferSize min=\\\"256kB\\\"/></Internal>\" exec env HORUS_NAMESPACE=\(ns) \(runPath) bridge --export /socket/buffer --duration 30"])
        XCTAssertNotNil(own.waitForLine("bridge domain 0", timeout: 30), "\(own.lines)")
        let ownSizes = try receiveBuffers(pair, "a", pid: try bridgePid(pair, "a"))
        XCTAssertFalse(ownSizes.isEmpty)
        if expected > 2 * 256 * 1024 {
            XCTAssertTrue(ownSizes.allSatisfy { $0 >= 2 * 256 * 1024 && $0 < expected }, "the user's 256 kB: \(ownSizes)")
        }
        own.finish(timeout: 0)
    }
}
