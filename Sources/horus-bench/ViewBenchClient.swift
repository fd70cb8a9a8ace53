import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal Foxglove WebSocket client for `horus-bench view`: handshake, read serverInfo
/// and advertise, subscribe to every channel, then read and discard (or, stalled, never
/// read again). Raw sockets, so the client's own cost is a recv loop.
final class ViewBenchClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer = [UInt8]()
    /// Binary (Message Data) frames read by the reading thread.
    private(set) var frames = 0
    /// Bytes read by the reading thread.
    private(set) var bytes = 0
    private var thread: Thread?
    private var stop = false

    /// Connects to 127.0.0.1:`port` and subscribes to every advertised channel.
    init(port: Int, receiveBuffer: Int? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw BenchClientError("socket: \(errno)") }
        if var rb = receiveBuffer.map(Int32.init) { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, socklen_t(MemoryLayout<Int32>.size)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { Glibc.close(fd); throw BenchClientError("connect to port \(port): errno \(errno)") }
        try send(Array(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: aG9ydXMtYmVuY2gta2V5MQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: foxglove.websocket.v1\r\n\r\n").utf8))
        var head = [UInt8]()
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) { head.append(try readExact(1)[0]) }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { throw BenchClientError("upgrade refused") }
        _ = try readFrame()  // serverInfo
        let adv = try JSONSerialization.jsonObject(with: Data(try readFrame())) as? [String: Any]
        let ids = (adv?["channels"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        let subs = ids.enumerated().map { #"{"id": \#($0.offset), "channelId": \#($0.element)}"# }.joined(separator: ", ")
        try send(Self.maskedText(#"{"op": "subscribe", "subscriptions": [\#(subs)]}"#))
        channelCount = ids.count
        frames = 0
    }

    /// Channels subscribed to.
    private(set) var channelCount = 0

    /// Reads and discards frames on a thread until `close()`, counting Message Data frames
    /// (the frame headers are parsed, the payloads skipped).
    func startReading() {
        let t = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 1 << 20)  // large reads: the client's own cost is small
            var skip = 0              // payload bytes of the current frame still to come
            var head: [UInt8] = []    // a frame header split across reads
            while !stop {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                bytes += n
                var i = 0
                while i < n {
                    if skip > 0 {
                        let k = min(skip, n - i)
                        skip -= k; i += k
                        continue
                    }
                    head.append(chunk[i]); i += 1
                    guard let (opcode, size) = Self.frameHeader(head) else { continue }
                    head.removeAll(keepingCapacity: true)
                    if opcode == 2 { frames += 1 }
                    skip = size
                }
            }
        }
        thread = t
        t.start()
    }

    /// The opcode and payload length of an unmasked server frame header, once `h` holds all of it.
    private static func frameHeader(_ h: [UInt8]) -> (UInt8, Int)? {
        guard h.count >= 2 else { return nil }
        let short = Int(h[1] & 0x7F), need = short == 126 ? 4 : short == 127 ? 10 : 2
        guard h.count == need else { return nil }
        let size = need == 2 ? short : h[2..<need].reduce(0) { $0 << 8 | Int($1) }
        return (h[0] & 0x0F, size)
    }

    func close() {
        stop = true
        shutdown(fd, Int32(SHUT_RDWR))
        usleep(20_000)
        Glibc.close(fd)
    }

    private func send(_ b: [UInt8]) throws {
        var off = 0
        while off < b.count {
            let n = b.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchClientError("send: errno \(errno)") }
            off += n
        }
    }

    private func readExact(_ n: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n), got = 0
        while got < n {
            let r = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, n - got, 0) }
            guard r > 0 else { throw BenchClientError("connection closed") }
            got += r
        }
        return out
    }

    /// One unmasked server frame's payload.
    private func readFrame() throws -> [UInt8] {
        let h = try readExact(2)
        var n = Int(h[1] & 0x7F)
        if n == 126 { n = try readExact(2).reduce(0) { $0 << 8 | Int($1) } } else if n == 127 { n = try readExact(8).reduce(0) { $0 << 8 | Int($1) } }
        guard n < 64 << 20 else { throw BenchClientError("frame of \(n) bytes") }
        frames += 1
        return try readExact(n)
    }

    private static func maskedText(_ s: String) -> [UInt8] {
        let p = Array(s.utf8), mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        var f: [UInt8] = [0x81]
        if p.count < 126 { f.append(0x80 | UInt8(p.count)) } else { f += [0x80 | 126, UInt8(p.count >> 8), UInt8(p.count & 0xFF)] }
        return f + mask + p.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }
}

struct BenchClientError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
