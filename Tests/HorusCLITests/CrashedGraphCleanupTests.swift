import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A graph killed with SIGKILL leaves its segments in /dev/shm: `topics` marks them
/// stale, `clean` removes them and says so, and the next horus process in the namespace
/// removes them by itself.
final class CrashedGraphCleanupTests: XCTestCase {
    /// Runs the CLI test graph in `ns` until its topics exist, then kills it with SIGKILL.
    private func killedGraph(_ ns: String) throws -> [String] {
        let path = try writeGraph("crashed-\(ns).yaml", cliTestGraph(ns))
        let graph = try CLIProcess("horus-run", [path, "--duration", "30", "--quiet"], namespace: ns)
        let end = Date().addingTimeInterval(20)
        while shmFiles(namespace: ns).filter({ $0.contains("-topic-") }).count < 2 && Date() < end { usleep(20_000) }
        usleep(200_000)
        kill(graph.process.processIdentifier, SIGKILL)
        _ = graph.finish(timeout: 10)
        let left = shmFiles(namespace: ns)
        XCTAssertEqual(left.filter { $0.contains("-topic-") }.count, 2, "kill -9 left the topics: \(left)")
        return left
    }

    func testTopicsMarksStaleAndCleanRemovesThem() throws {
        let ns = uniqueNamespace("crashclean")
        let left = try killedGraph(ns)
        XCTAssertTrue(left.contains { $0.contains("-pool-") }, "and its pool: \(left)")

        let topics = try horusRun(["topics", "--json", "--sample", "0.05"], namespace: ns)
        XCTAssertEqual(topics.status, 0, topics.stderr)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(topics.stdout.utf8)) as? [[String: Any]], topics.stdout)
        XCTAssertEqual(list.count, 2, topics.stdout)
        XCTAssertEqual(list.map { $0["stale"] as? Bool }, [true, true], topics.stdout)
        let table = try horusRun(["topics", "--sample", "0.05"], namespace: ns)
        XCTAssertTrue(table.stdout.contains("stale (all processes dead)"), table.stdout)
        XCTAssertTrue(table.stdout.contains("2 stale topics: `horus-run clean` removes them"), table.stdout)

        let clean = try horusRun(["clean"], namespace: ns)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        for file in left {
            XCTAssertTrue(clean.stdout.contains("removed /dev/shm/\(file): no live process"), clean.stdout)
        }
        XCTAssertTrue(clean.stdout.contains("removed \(left.count) segments, kept 0 in namespace \(ns)"), clean.stdout)
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }

    func testTheNextHorusProcessInTheNamespaceRemovesThem() throws {
        let ns = uniqueNamespace("crashnext")
        _ = try killedGraph(ns)
        // echo subscribes to one of the dead graph's topics: the sweep before that first
        // open removes every segment of the dead graph (the other topic and the pool too,
        // which taking over the one topic would not), so echo waits on a fresh ring.
        let echo = try horusRun(["echo", "/\(ns)/images", "--count", "1", "--timeout", "0.5"], namespace: ns)
        XCTAssertEqual(echo.status, 1, echo.stdout)
        XCTAssertTrue(echo.stderr.contains("timed out after 0 of 1 messages"), echo.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [], "nothing of the killed graph is left")
    }
}
