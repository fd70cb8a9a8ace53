import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Faults name the node: an in-process plugin crash prints which node died; an isolated
/// child's output topics are reclaimed when it dies (Plugins/Crasher).
final class CrashReportTests: XCTestCase {
    private func crasherGraph(_ ns: String, isolate: Bool, how: String, crashIn: String = "tick") throws -> String {
        try writeGraph("crash_\(isolate ? "iso" : "inproc")_\(how)_\(crashIn).yaml", """
        graph: crash_report
        nodes:
          - name: camera
            type: camera_sim
            rate: 50
            params: {width: 32, height: 24}
            outputs: {color: /\(ns)/color}
          - name: boom
            plugin: libhorus_crasher.so
            type: crasher
        \(isolate ? "    isolate: process\n    restart: never\n" : "")\
            params: {crash_after: 3, how: \(how), crash_in: \(crashIn)}
            inputs: {image: /\(ns)/color}
            outputs: {image_out: /\(ns)/passed}
        outputs: [/\(ns)/passed]
        """)
    }

    func testInProcessPluginCrashNamesTheNode() throws {
        let env = try pluginPathEnv()
        for (how, name) in [("segv", "SIGSEGV"), ("abort", "SIGABRT")] {
            let ns = uniqueNamespace("cr\(how)")
            let path = try crasherGraph(ns, isolate: false, how: how)
            var e = env
            e["SWIFT_BACKTRACE"] = "enable=no"
            let r = try CLIProcess("horus-run", [path, "--duration", "20", "--quiet"], namespace: ns, extraEnv: e).finish()
            // The process dies of the signal itself (the handler re-raises it).
            XCTAssertNotEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("horus: node 'boom' (plugin libhorus_crasher.so) crashed: \(name)"), "\(how): \(r.stderr)")
            XCTAssertEqual(r.stderr.components(separatedBy: "crashed: ").count - 1, 1, r.stderr)
            // The runner died without cleaning up: remove what it left.
            for f in shmFiles(namespace: ns) { unlink("/dev/shm/" + f) }
        }
    }

    /// A crash in configure, start or stop (not only tick) names the node too.
    func testCrashOutsideTickNamesTheNode() throws {
        var env = try pluginPathEnv()
        env["SWIFT_BACKTRACE"] = "enable=no"
        for phase in ["configure", "start", "stop"] {
            let ns = uniqueNamespace("cr\(phase)")
            let path = try crasherGraph(ns, isolate: false, how: "segv", crashIn: phase)
            let r = try CLIProcess("horus-run", [path, "--duration", "1", "--quiet"], namespace: ns, extraEnv: env).finish()
            XCTAssertNotEqual(r.status, 0, "\(phase): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("horus: node 'boom' (plugin libhorus_crasher.so) crashed: SIGSEGV"), "\(phase): \(r.stderr)")
            for f in shmFiles(namespace: ns) { unlink("/dev/shm/" + f) }
        }
    }

    /// Without SWIFT_BACKTRACE set, the horus line still comes first, before the runtime's report.
    func testCrashLineComesBeforeTheSwiftBacktrace() throws {
        var env = try pluginPathEnv()
        env["SWIFT_BACKTRACE"] = nil
        let ns = uniqueNamespace("crbt")
        let path = try crasherGraph(ns, isolate: false, how: "segv")
        let r = try CLIProcess("horus-run", [path, "--duration", "20", "--quiet"], namespace: ns, extraEnv: env).finish()
        XCTAssertNotEqual(r.status, 0)
        let line = try XCTUnwrap(r.stderr.range(of: "horus: node 'boom' (plugin libhorus_crasher.so) crashed: SIGSEGV"), r.stderr)
        if let bt = r.stderr.range(of: "Crash") ?? r.stderr.range(of: "Backtrace") {
            XCTAssertLessThan(line.lowerBound, bt.lowerBound, r.stderr)
        }
        for f in shmFiles(namespace: ns) { unlink("/dev/shm/" + f) }
    }

    /// The child publishes /passed (nobody in the runner reads it) and crashes: its ring goes.
    func testIsolatedChildsOutputTopicIsReclaimed() throws {
        let env = try pluginPathEnv()
        let ns = uniqueNamespace("crre")
        let path = try crasherGraph(ns, isolate: true, how: "segv")
        let r = try CLIProcess("horus-run", [path, "--duration", "20", "--quiet"], namespace: ns, extraEnv: env).finish()
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("node 'boom' (pid "), r.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [], r.stderr)
    }
}
