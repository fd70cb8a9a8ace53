import Foundation
import HorusRecord
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The release commands against hostile input, as a user runs them: each answers in bounded time
/// with an exact message and exit status (no trap, no hang, no silent exit 0).
final class HostileInputCLITests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "horus-cli-hostile-\(getpid())-\(name.filter { $0.isLetter })"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ text: String, _ name: String) throws -> String {
        let p = dir + "/" + name
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func testCheckRefusesAnAliasBombAndOutOfRangeNumbersWithLocations() throws {
        let ns = uniqueNamespace("hcheck")
        var bomb = ["graph: bomb", #"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for i in 1..<10 { bomb.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ",") + "]") }
        let b = try write(bomb.joined(separator: "\n") + "\nnodes: []\n", "bomb.yaml")
        let r = try horusRun(["check", b], namespace: ns, timeout: 30)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(b):2:34: error: a5[0][3][4][3][6][4]: YAML aliases expand this document past 100000 values"), r.stderr)

        let g = try write("""
        graph: extremes
        nodes:
          - name: src
            type: cli_test_source
            rate: 1e-300
            params: {height: 4096, width: 4096}
            outputs: {out: /h/img}
          - name: sink
            type: cli_test_sink
            inputs: {in: /h/img}
        topics:
          /h/img: {type: Image, capacity: 1099511627776}
        """, "extremes.yaml")
        let c = try horusRun(["check", g], namespace: ns)
        XCTAssertEqual(c.status, 1, c.stderr)
        XCTAssertTrue(c.stderr.contains("\(g):5:11: error: nodes[0] (src): 'rate' must be in 1e-06...1000000 Hz (what the scheduler can honour), got 1e-300"), c.stderr)
        XCTAssertTrue(c.stderr.contains("\(g):12:35: error: topic '/h/img': 'capacity' must be in 1...1048576, got 1099511627776"), c.stderr)
        XCTAssertTrue(c.stdout.contains("\(g): 2 errors"), c.stdout)
    }

    func testARunWhoseEveryTickFailsExitsFourAndSaysWhy() throws {
        let ns = uniqueNamespace("htick")
        let g = try write("""
        graph: failing
        nodes:
          - name: bad
            type: cli_test_tick_fail
            rate: 100
        """, "failing.yaml")
        let r = try horusRun(["run", g, "--ticks", "5", "--quiet"], namespace: ns)
        XCTAssertEqual(r.status, 4, r.stderr)
        XCTAssertTrue(r.stderr.contains("horus-run: node 'bad' failed every one of its 5 ticks: node 'bad' failed in tick: plugin node type 'cli_test_tick_fail' (\(cliTestNodesPlugin)): refused on purpose"), r.stderr)
        XCTAssertEqual(shmFiles(namespace: ns), [])
        // A graph whose ticks succeed still exits 0.
        let ok = try horusRun(["run", try write(cliTestGraph(ns), "ok.yaml"), "--ticks", "5", "--quiet"], namespace: ns)
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    func testInfoAndRecoverRefuseAFIFOInsteadOfBlocking() throws {
        let ns = uniqueNamespace("hfifo")
        let dir: String = self.dir
        let fifo = dir + "/fifo.mcap"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for args in [["info", fifo], ["recover", fifo, "-o", dir + "/out.mcap"], ["info", dir]] {
            let r = try horusRun(args, namespace: ns, timeout: 10)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            // A directory is read as a rosbag2 bag: this one's recording is the FIFO, refused the same way.
            XCTAssertTrue(r.stderr.contains("\(fifo): byte offset 0: not a regular file (a FIFO); recordings are read from regular files only"), r.stderr)
        }
    }

    func testRecoverSkipsADamagedChunkSaysWhatItLostAndWritesAFileOthersRead() throws {
        let ns = uniqueNamespace("hrecover")
        let original = dir + "/run.mcap"
        let w = try MCAPWriter(path: original, chunkSize: 2048)
        let ch = w.addChannel(topic: "/t", schemaID: w.addSchema(name: "s", encoding: "", data: []), messageEncoding: "raw")
        for i in 0..<400 {
            try w.write(channel: ch, sequence: UInt32(i), logTime: UInt64(i) * 1000, publishTime: UInt64(i) * 1000,
                        data: [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 100))
        }
        try w.close()
        let chunk = try MCAPReader(path: original).chunkIndexes[3]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
        bytes[Int(chunk.chunkStartOffset) + 49 + 777] ^= 0x08
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad.mcap"))
        // 2048-byte chunks of 131-byte message records: 16 per chunk (the 16th crosses the 2048 mark).
        let r = try horusRun(["recover", dir + "/bad.mcap", "-o", dir + "/fixed.mcap"], namespace: ns)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("recovered 384 messages (1 channels, 1 schemas)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("skipped chunk 3 at byte \(chunk.chunkStartOffset) (\(chunk.chunkLength) bytes, 16 messages lost): chunk CRC mismatch"), r.stdout)
        XCTAssertTrue(r.stdout.contains("skipped 1 damaged part, 16 messages lost"), r.stdout)
        let info = try horusRun(["info", dir + "/fixed.mcap"], namespace: ns)
        XCTAssertTrue(info.stdout.contains("messages:  384"), info.stdout)
        if let py = try pythonMessageCount(dir + "/fixed.mcap") {
            XCTAssertEqual(py, 384, "python mcap reader on the recovered file")
        } else {
            print("note: python mcap module not installed; skipped the Python check")
        }
    }
}
