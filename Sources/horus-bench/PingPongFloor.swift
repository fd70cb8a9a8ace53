import Atomics
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// The floor of the pingpong method itself, without horus: the cross-core traffic every
/// message of the benchmark needs at the least. The sender writes the sequence number
/// into a payload line, then a commit word on a line of its own; the echo side spins on
/// the commit word, reads the payload line, writes its answer into a second payload
/// line and commits it on a second word; the sender spins on that, reads the answer.
/// Four lines in one small pool tensor, 256 bytes apart (never neighbours the adjacent
/// line prefetcher pairs). Per one-way that is three dependent line transfers where the
/// bare spin hop has one: the payload line taken back from the reader, the commit word,
/// the payload line read.
enum PingPongFloor {
    /// Byte offsets of the four lines: ping commit, ping payload, pong commit, pong payload.
    static let pingCommit = 0, pingPayload = 256, pongCommit = 512, pongPayload = 768

    /// Round trips of the sender side (this process, CPU 0) against a `pingpong-peer --floor`.
    static func run(pool: Pool, count: Int) throws -> [Int64] {
        let shared = try Tensor(shape: [1024], dtype: .uint8, pool: pool)
        let peer = try PingPongProcesses.spawn(["/proc/self/exe", "pingpong-peer", "--tag", "floor", "--count", "\(count)",
                                                "--pool", pool.name, "--floor", shared.descriptor().hexString])
        let base = shared.baseAddress
        let commit = word(base, pingCommit), answered = word(base, pongCommit)
        let payload = base + pingPayload, answer = UnsafeRawPointer(base + pongPayload)
        // The peer stores 1 in its commit word once it is spinning.
        let deadline = monotonicNs() &+ 20_000_000_000
        while answered.load(ordering: .acquiring) != 1 {
            guard monotonicNs() < deadline else { kill(peer, SIGKILL); throw BenchError("floor peer did not start") }
        }
        var rtts = [Int64](repeating: 0, count: count)
        for i in 0..<count {
            let seq = UInt64(i + 2)
            let t0 = monotonicNs()
            payload.storeBytes(of: seq, as: UInt64.self)
            commit.store(seq, ordering: .releasing)
            var spins = 0
            while answered.load(ordering: .acquiring) != seq {
                spins += 1
                if spins & 0xFFFFF == 0, monotonicNs() > t0 &+ 20_000_000_000 { kill(peer, SIGKILL); throw BenchError("floor: no answer to \(seq)") }
            }
            guard answer.load(as: UInt64.self) == seq else { kill(peer, SIGKILL); throw BenchError("floor: wrong answer to \(seq)") }
            rtts[i] = Int64(monotonicNs() &- t0)
        }
        try PingPongProcesses.wait(peer, "floor peer")
        return rtts
    }

    /// The echo side: answers each commit with the payload it read.
    static func echo(descriptor hex: String, count: Int) throws {
        guard let d = Descriptor(hex: hex) else { throw BenchError("bad --floor descriptor") }
        let shared = try Tensor(descriptor: d)
        let base = shared.baseAddress
        let commit = word(base, pingCommit), answered = word(base, pongCommit)
        let payload = UnsafeRawPointer(base + pingPayload), answer = base + pongPayload
        answered.store(1, ordering: .releasing)
        var last: UInt64 = 0  // the commit word before the first ping
        for _ in 0..<count {
            var spins = 0
            var seen = commit.load(ordering: .acquiring)
            while seen == last {
                spins += 1
                if spins & 0xFFFFF == 0, getppid() == 1 { throw BenchError("floor peer: sender gone") }
                seen = commit.load(ordering: .acquiring)
            }
            last = seen
            answer.storeBytes(of: payload.load(as: UInt64.self), as: UInt64.self)
            answered.store(seen, ordering: .releasing)
        }
    }

    private static func word(_ base: UnsafeMutableRawPointer, _ offset: Int) -> UnsafeAtomic<UInt64> {
        UnsafeAtomic<UInt64>(at: (base + offset).assumingMemoryBound(to: UnsafeAtomic<UInt64>.Storage.self))
    }
}
