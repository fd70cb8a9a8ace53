import Foundation
import XCTest
@testable import HorusRecord

final class MCAPInfoTests: XCTestCase {
    func testInfoSummarizesTopicsAndRates() throws {
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("info.mcap").path
        let w = try MCAPWriter(path: path, chunkSize: 1000)
        let s = w.addSchema(name: "horus.Imu", encoding: "ros2msg", data: Array("float64 x".utf8))
        let imu = w.addChannel(topic: "/imu", schemaID: s, messageEncoding: "cdr")
        let cam = w.addChannel(topic: "/camera", schemaID: 0, messageEncoding: "x-raw")
        // 2 s of data: /imu at 100 Hz (201 messages over 2 s), /camera at 10 Hz.
        for i in 0...200 {
            let t = 5_000_000_000 + UInt64(i) * 10_000_000
            try w.write(channel: imu, sequence: UInt32(i), logTime: t, publishTime: t, data: [UInt8(i & 0xFF)])
            if i % 10 == 0 { try w.write(channel: cam, sequence: UInt32(i / 10), logTime: t, publishTime: t, data: [1, 2]) }
        }
        try w.close()

        let info = try MCAPInfo(path: path)
        XCTAssertEqual(info.messageCount, 201 + 21)
        XCTAssertEqual(info.startTime, 5_000_000_000)
        XCTAssertEqual(info.endTime, 7_000_000_000)
        XCTAssertEqual(info.durationSeconds, 2.0, accuracy: 1e-9)
        XCTAssertEqual(info.schemaNames, ["horus.Imu"])
        XCTAssertTrue(info.hasSummary)
        XCTAssertNil(info.truncation)
        XCTAssertGreaterThan(info.chunkCount, 1)
        XCTAssertEqual(info.topics.map(\.topic), ["/camera", "/imu"])
        XCTAssertEqual(info.topics[1].messageCount, 201)
        XCTAssertEqual(info.topics[1].schemaName, "horus.Imu")
        XCTAssertEqual(info.topics[1].rateHz, 100.5, accuracy: 1e-9)
        XCTAssertEqual(info.topics[0].rateHz, 10.5, accuracy: 1e-9)
        XCTAssertEqual(info.topics[0].schemaName, "")

        let table = info.formattedTable()
        XCTAssertTrue(table.contains("messages:  222"), table)
        XCTAssertTrue(table.contains("duration: 2.000 s"), table)
        XCTAssertTrue(table.contains("start:     5.000000000"), table)
        XCTAssertTrue(table.contains("complete (summary present)"), table)
        let imuLine = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("/imu") })
        XCTAssertTrue(imuLine.contains("horus.Imu") && imuLine.contains("201") && imuLine.contains("100.50"), String(imuLine))
        // Columns line up: every table row has the same width as the header row.
        let rows = table.split(separator: "\n").drop { !$0.hasPrefix("topic") }
        XCTAssertEqual(Set(rows.map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? 0 : $0.count }).count, 1, table)

        // A truncated copy is reported as such.
        let bytes = try MCAPTestSupport.readBytes(path)
        let cut = dir.appendingPathComponent("cut.mcap").path
        try MCAPTestSupport.writeBytes(Array(bytes[0..<(bytes.count * 2 / 3)]), to: cut)
        let cutInfo = try MCAPInfo(path: cut)
        XCTAssertNotNil(cutInfo.truncation)
        XCTAssertLessThan(cutInfo.messageCount, 222)
        XCTAssertTrue(cutInfo.formattedTable().contains("TRUNCATED at byte"))
    }
}
