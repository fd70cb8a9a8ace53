import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A second graph publishing topics that another graph in the namespace publishes: a
/// warning naming the other process, or an error for topics declared `exclusive: true`.
final class SecondGraphTests: XCTestCase {
    func testSecondGraphIsWarnedOrRefusedNamingTheFirstGraphsPid() throws {
        let ns = uniqueNamespace("second")
        let first = try CLIProcess("horus-run", [try writeGraph("first-\(ns).yaml", cliTestGraph(ns)), "--duration", "30", "--quiet"],
                                   namespace: ns)
        defer { first.signal(SIGINT); _ = first.finish(timeout: 20) }
        let end = Date().addingTimeInterval(20)
        while shmFiles(namespace: ns).filter({ $0.contains("-topic-") }).count < 2 && Date() < end { usleep(20_000) }
        let pid = first.process.processIdentifier

        let second = try horusRun([try writeGraph("second-\(ns).yaml", cliTestGraph(ns)), "--duration", "0.3", "--quiet"], namespace: ns)
        XCTAssertEqual(second.status, 0, second.stderr)
        let both = second.stdout + second.stderr
        XCTAssertTrue(both.contains("warning: topic '/\(ns)/images' is already published by another process (pid \(pid)); "
                                    + "its messages and node 'src''s will merge"), both)
        XCTAssertTrue(both.contains("warning: topic '/\(ns)/relayed' is already published by another process (pid \(pid))"), both)

        let exclusive = cliTestGraph(ns, extra: "topics:\n  /\(ns)/images: {exclusive: true}\n")
        let third = try horusRun([try writeGraph("third-\(ns).yaml", exclusive), "--duration", "0.3", "--quiet"], namespace: ns)
        XCTAssertNotEqual(third.status, 0)
        XCTAssertTrue(third.stderr.contains("topic '/\(ns)/images' is declared exclusive but pid \(pid) already publishes it"), third.stderr)
    }
}
