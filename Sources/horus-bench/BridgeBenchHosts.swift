import Foundation
import HorusSystem

/// The two "hosts" of `horus-bench bridge`: a network-namespace pair made with scripts/dds-netns
/// (removed on `close`, at exit and on Ctrl-C; a pair left by a killed run is reaped by the next
/// `create`), the processes started in it, and each process's HORUS_NAMESPACE segments.
final class BridgeBenchHosts {
    let name = "hd\(getpid())x0"
    let script: String
    private(set) var children: [BenchChild] = []
    private(set) var namespaces: [String] = []
    nonisolated(unsafe) private static var current: BridgeBenchHosts?

    init(script: String) throws {
        self.script = script
        let r = try BenchChild(script, ["create", name])
        guard r.finish(timeout: 30) == 0 else { throw BenchError("scripts/dds-netns create failed: \(r.lines.joined(separator: " "))") }
        Self.current = self
        atexit { BridgeBenchHosts.current?.close() }
        for s in [SIGINT, SIGTERM] { signal(s) { _ in exit(130) } }
    }

    /// Adds `<Internal><SocketReceiveBufferSize min=size/>` to the pair's Cyclone configuration.
    func setReceiveBuffer(_ size: String) throws {
        guard size.allSatisfy({ $0.isNumber || $0.isLetter }) else { throw BenchError("--receive-buffer '\(size)': expected e.g. 4MB") }
        let path = "/tmp/horus-dds-netns-\(name).xml"
        let xml = try String(contentsOfFile: path, encoding: .utf8)
        try xml.replacingOccurrences(of: "</General>", with: "</General><Internal><SocketReceiveBufferSize min=\"\(size)\"/></Internal>")
            .write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Starts `command` in host `side` ("a"/"b") with HORUS_NAMESPACE `namespace`.
    func start(_ side: String, namespace: String, _ command: [String]) throws -> BenchChild {
        if !namespaces.contains(namespace) { namespaces.append(namespace) }
        let c = try BenchChild(script, ["exec", name, side, "env", "HORUS_NAMESPACE=\(namespace)"] + command)
        children.append(c)
        return c
    }

    /// Ends every child (SIGTERM), removes the pair and every namespace's /dev/shm segments.
    func close() {
        for c in children { c.finish(timeout: 0) }
        children.removeAll()
        if let r = try? BenchChild(script, ["delete", name]) { r.finish(timeout: 30) }
        for ns in namespaces { TopicsBench.cleanSharedMemory(namespace: ns) }
        namespaces.removeAll()
        Self.current = nil
    }

    /// utime + stime of `pid` in seconds (/proc/<pid>/stat), nil once it exited.
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = s.lastIndex(of: ")") else { return nil }
        let f = s[s.index(after: close)...].split(separator: " ")
        guard f.count > 13, let u = Double(f[11]), let k = Double(f[12]) else { return nil }
        return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// "1.23 0.98 0.77" from /proc/loadavg.
    static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// The bench's child processes.
typealias BenchChild = LineCollectingProcess
