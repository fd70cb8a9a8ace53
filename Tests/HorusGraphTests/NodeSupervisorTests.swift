import CHorus
import Foundation
@testable import HorusGraph
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// NodeSupervisor with /bin/sh children standing in for node-host processes.
final class NodeSupervisorTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
        func count(_ needle: String) -> Int { all.filter { $0.contains(needle) }.count }
    }

    func node(_ restart: RestartPolicy) -> ResolvedNode {
        ResolvedNode(name: "n", declarationIndex: 0, type: NodeTypeSpec(name: "t"), source: .plugin(path: "/x.so"),
                     trigger: .periodic(hz: 1), isolation: .process, restart: restart, params: [:], inputs: [:], outputs: [:],
                     location: SourceLocation(file: "g.yaml", line: 1, column: 1))
    }

    func shell(_ script: String) -> NodeSupervisor.Spawn {
        { _ in
            let args = ["/bin/sh", "-c", script]
            var c: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
            defer { for p in c { free(p) } }
            let pid = horus_spawn("/bin/sh", &c, 0)
            if pid < 0 { throw NodeError(node: "n", phase: "start", message: "spawn failed") }
            return pid
        }
    }

    func waitUntil(_ timeout: Double = 10, _ cond: () -> Bool) {
        let end = Date().addingTimeInterval(timeout)
        while !cond() && Date() < end { usleep(10_000) }
    }

    func testOnFailureRestartsUpToMaxThenGivesUp() throws {
        let log = Lines()
        let sup = NodeSupervisor(node: node(RestartPolicy(kind: .onFailure, maxRestarts: 2, backoffMilliseconds: 20)),
                                 pool: nil, log: { log.add($0) }, spawn: shell("kill -SEGV $$"))
        try sup.start()
        waitUntil { sup.status.gaveUp }
        let s = sup.status
        XCTAssertEqual(s.starts, 3)
        XCTAssertEqual(s.crashes, 3)
        XCTAssertEqual(s.restarts, 2)
        XCTAssertEqual(s.lastExit, "signal \(SIGSEGV)")
        XCTAssertEqual(log.count("crashed: signal \(SIGSEGV)"), 3, "\(log.all)")
        XCTAssertEqual(log.count("giving up after 2 restarts"), 1, "\(log.all)")
        XCTAssertFalse(sup.stopsGraph)
        sup.stop()
    }

    func testNonZeroExitIsAFailureAndNeverStopsTheGraph() throws {
        let log = Lines()
        let sup = NodeSupervisor(node: node(.default), pool: nil, log: { log.add($0) }, spawn: shell("exit 7"))
        try sup.start()
        waitUntil { sup.stopsGraph }
        XCTAssertTrue(sup.stopsGraph)
        XCTAssertEqual(sup.status.lastExit, "exit status 7")
        XCTAssertEqual(sup.status.restarts, 0)
        sup.stop()
    }

    func testStopTerminatesAndKillsStubbornChildren() throws {
        let log = Lines()
        // Ignores SIGTERM: stop must fall back to SIGKILL.
        let sup = NodeSupervisor(node: node(RestartPolicy(kind: .always)), pool: nil, killTimeout: 0.3,
                                 log: { log.add($0) }, spawn: shell("trap '' TERM; while :; do sleep 0.05; done"))
        try sup.start()
        let pid = sup.status.pid
        XCTAssertGreaterThan(pid, 0)
        usleep(200_000)
        let t0 = Date()
        sup.stop()
        XCTAssertLessThan(Date().timeIntervalSince(t0), 5)
        XCTAssertNotEqual(kill(pid, 0), 0, "child \(pid) still exists")
        XCTAssertEqual(sup.status.crashes, 0, "exits caused by stop are not crashes")
        XCTAssertEqual(sup.status.restarts, 0)
        XCTAssertEqual(log.count("did not stop on SIGTERM"), 1, "\(log.all)")
    }
}
