import Foundation
import HorusRecord
import HorusTestSupport
import XCTest

/// A plain struct declared by a plugin (ObstacleAlert from the C obstacle_detector) is
/// recorded in the horus plain encoding, read by the third-party Python `mcap` package, and
/// replayed into a graph whose Swift plugin (alert_filter) reads it.
final class StructRecordCLITests: XCTestCase {
    func testObstacleAlertsRecordAndReplay() throws {
        let env = try pluginPathEnv()
        let ns = uniqueNamespace("stru")
        let dir = NSTemporaryDirectory() + "horus-cli-struct-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let detect = try writeGraph("struct_detect.yaml", """
        graph: struct_detect
        nodes:
          - {name: camera, type: camera_sim, rate: 20, params: {width: 64, height: 48}, outputs: {depth: /\(ns)/depth}}
          - {name: detect, plugin: libhorus_obstacledetector.so, type: obstacle_detector, params: {alert_distance: 100.0},
             inputs: {depth: /\(ns)/depth}, outputs: {alert: /\(ns)/alert}}
        outputs: [/\(ns)/alert]
        """)
        let filter = try writeGraph("struct_filter.yaml", """
        graph: struct_filter
        nodes:
          - {name: filter, plugin: libHorusAlertFilterPlugin.so, type: alert_filter, params: {min_level: 0},
             inputs: {alert: /\(ns)/alert}, outputs: {passed: /\(ns)/passed}}
        outputs: [/\(ns)/passed]
        """)
        let rec = dir + "/alerts.mcap"
        let r = try CLIProcess("horus-run", ["record", detect, "-o", rec, "--topics", "/\(ns)/alert", "--duration", "1"],
                               namespace: ns, extraEnv: env).finish(timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        let info = try MCAPInfo(path: rec)
        let topic = try XCTUnwrap(info.topics.first { $0.topic == "/\(ns)/alert" }, "\(info.topics)")
        XCTAssertEqual(topic.schemaName, "horus.ObstacleAlert")
        XCTAssertEqual(topic.messageEncoding, "horus")
        XCTAssertGreaterThan(topic.messageCount, 0)

        // The third-party reader decodes every alert from the schema's field offsets.
        let py = try runCommand(["python3", "-c", """
        import json, struct, sys
        from mcap.reader import make_reader
        n = 0
        with open(sys.argv[1], "rb") as f:
            for schema, channel, m in make_reader(f, validate_crcs=True).iter_messages():
                s = json.loads(schema.data)
                assert s["format"] == "horus-plain/1" and s["size"] == 24 == len(m.data), (s, len(m.data))
                fl = {x["name"]: x for x in s["fields"]}
                ts, = struct.unpack_from("<Q", m.data, fl["timestamp_ns"]["offset"])
                dist, = struct.unpack_from("<f", m.data, fl["distance_m"]["offset"])
                level, = struct.unpack_from("<I", m.data, fl["level"]["offset"])
                assert ts == m.log_time and ts > 0, (ts, m.log_time)
                assert 0 < dist < 100 and level in (1, 2), (dist, level)
                n += 1
        print(n)
        """, rec])
        if py.status != 0, py.err.contains("No module named") { throw XCTSkip("python mcap missing") }
        XCTAssertEqual(py.status, 0, py.err)
        XCTAssertEqual(UInt64(py.out.trimmingCharacters(in: .whitespacesAndNewlines)), topic.messageCount)

        // Replayed into the Swift plugin, which passes every alert on (min_level 0).
        let out = dir + "/passed.mcap"
        let rp = try CLIProcess("horus-run", ["replay", rec, "--graph", filter, "--fast", "--deterministic", "-o", out],
                                namespace: ns, extraEnv: env).finish(timeout: 60)
        XCTAssertEqual(rp.status, 0, rp.stderr + rp.stdout)
        let passed = try XCTUnwrap(try MCAPInfo(path: out).topics.first { $0.topic == "/\(ns)/passed" }, rp.stderr)
        XCTAssertEqual(passed.messageCount, topic.messageCount, "every replayed alert reached the plugin and came out")
        XCTAssertEqual(shmFiles(namespace: ns), [])
    }
}
