import Foundation
import HorusTestSupport
import XCTest
@testable import HorusRecord

/// Cross-checks the writer against the reference Python `mcap` reader (installed with pip on demand).
final class MCAPPythonInteropTests: XCTestCase {
    /// Prints a JSON description of the file using both the seeking (indexed) and the streaming reader.
    static let script = #"""
import sys, json, zlib
from mcap.reader import make_reader
from mcap.stream_reader import StreamReader
path = sys.argv[1]
with open(path, "rb") as f:
    reader = make_reader(f, validate_crcs=True)
    header = reader.get_header()
    summary = reader.get_summary()
    st = summary.statistics
    out = {
        "profile": header.profile,
        "library": header.library,
        "schemas": {str(k): [v.name, v.encoding, zlib.crc32(v.data)] for k, v in summary.schemas.items()},
        "channels": {str(k): [v.topic, v.schema_id, v.message_encoding, v.metadata] for k, v in summary.channels.items()},
        "stats": [st.message_count, st.schema_count, st.channel_count, st.chunk_count,
                  st.message_start_time, st.message_end_time],
        "channel_counts": {str(k): v for k, v in st.channel_message_counts.items()},
        "chunk_indexes": len(summary.chunk_indexes),
        "messages": [],
    }
    for schema, channel, message in reader.iter_messages(log_time_order=True):
        out["messages"].append([channel.id, schema.id if schema else 0, message.sequence, message.log_time,
                                message.publish_time, len(message.data), zlib.crc32(message.data)])
with open(path, "rb") as f:
    kinds = {}
    for record in StreamReader(f, validate_crcs=True).records:
        name = type(record).__name__
        kinds[name] = kinds.get(name, 0) + 1
    out["records"] = kinds
print(json.dumps(out))
"""#


    private func ensurePythonMCAP() throws {
        guard let probe = try? runCommand(["python3", "-c", "import mcap.reader"]) else {
            throw XCTSkip("python3 is not available")
        }
        if probe.status == 0 { return }
        let pip = try runCommand(["python3", "-m", "pip", "install", "--quiet", "mcap"])
        if pip.status != 0 { throw XCTSkip("cannot install the Python mcap package: \(pip.err)") }
    }

    func testPythonReaderReadsEveryMessageAndSchema() throws {
        try ensurePythonMCAP()
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("py.mcap").path
        let sample = try MCAPTestSupport.writeSample(path: path, count: 2000, chunkSize: 8192)
        let scriptPath = dir.appendingPathComponent("read_mcap.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)

        let result = try runCommand(["python3", scriptPath, path])
        XCTAssertEqual(result.status, 0, result.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])

        XCTAssertEqual(json["profile"] as? String, "horus")
        XCTAssertEqual(json["library"] as? String, "horus")
        let schemas = try XCTUnwrap(json["schemas"] as? [String: [Any]])
        XCTAssertEqual(schemas.count, sample.schemas.count)
        for s in sample.schemas {
            let row = try XCTUnwrap(schemas[String(s.id)])
            XCTAssertEqual(row[0] as? String, s.name)
            XCTAssertEqual(row[1] as? String, s.encoding)
            XCTAssertEqual((row[2] as? NSNumber)?.uint32Value, MCAPCRC32.checksum(s.data))
        }
        let channels = try XCTUnwrap(json["channels"] as? [String: [Any]])
        XCTAssertEqual(channels.count, sample.channels.count)
        for c in sample.channels {
            let row = try XCTUnwrap(channels[String(c.id)])
            XCTAssertEqual(row[0] as? String, c.topic)
            XCTAssertEqual((row[1] as? NSNumber)?.uint16Value, c.schemaID)
            XCTAssertEqual(row[2] as? String, c.messageEncoding)
            XCTAssertEqual(row[3] as? [String: String], c.metadata)
        }
        let stats = try XCTUnwrap(json["stats"] as? [NSNumber]).map(\.uint64Value)
        let reader = try MCAPReader(path: path)
        XCTAssertEqual(stats, [UInt64(sample.messages.count), 3, 4, UInt64(reader.chunkIndexes.count),
                               sample.messages.first!.logTime, sample.messages.last!.logTime])
        XCTAssertEqual((json["chunk_indexes"] as? NSNumber)?.intValue, reader.chunkIndexes.count)
        let counts = try XCTUnwrap(json["channel_counts"] as? [String: NSNumber])
        for c in sample.channels {
            XCTAssertEqual(counts[String(c.id)]?.intValue, sample.messages.filter { $0.channelID == c.id }.count)
        }

        let messages = try XCTUnwrap(json["messages"] as? [[NSNumber]])
        XCTAssertEqual(messages.count, sample.messages.count)
        for (row, m) in zip(messages, sample.messages) {
            let v = row.map(\.uint64Value)
            let expected: [UInt64] = [UInt64(m.channelID), UInt64(sample.channels[Int(m.channelID) - 1].schemaID),
                                      UInt64(m.sequence), m.logTime, m.publishTime, UInt64(m.data.count),
                                      UInt64(MCAPCRC32.checksum(m.data))]
            if v != expected { XCTFail("python saw \(v), expected \(expected)"); break }
        }

        // The streaming reader walks every record, including the chunk-internal ones and the index records.
        let records = try XCTUnwrap(json["records"] as? [String: NSNumber]).mapValues(\.intValue)
        XCTAssertEqual(records["Header"], 1)
        XCTAssertEqual(records["Footer"], 1)
        XCTAssertEqual(records["DataEnd"], 1)
        XCTAssertEqual(records["Statistics"], 1)
        XCTAssertEqual(records["Message"], sample.messages.count)
        XCTAssertEqual(records["ChunkIndex"], reader.chunkIndexes.count)
        XCTAssertEqual(records["MessageIndex"], reader.chunkIndexes.reduce(0) { $0 + $1.messageIndexOffsets.count })
        XCTAssertEqual(records["SummaryOffset"], 4)
        XCTAssertEqual(records["Schema"], 2 * 3, "each schema once in the data section and once in the summary")
        XCTAssertEqual(records["Channel"], 2 * 4, "each channel once in the data section and once in the summary")
    }

    func testPythonReadsRecoveredFile() throws {
        try ensurePythonMCAP()
        let dir = try MCAPTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("orig.mcap").path
        try MCAPTestSupport.writeSample(path: path, count: 600, chunkSize: 2048)
        let bytes = try MCAPTestSupport.readBytes(path)
        let cut = dir.appendingPathComponent("cut.mcap").path
        try MCAPTestSupport.writeBytes(Array(bytes[0..<(bytes.count / 2)]), to: cut)
        let fixed = dir.appendingPathComponent("fixed.mcap").path
        let result = try MCAPRecovery.recover(input: cut, output: fixed)
        XCTAssertGreaterThan(result.messageCount, 0)
        let scriptPath = dir.appendingPathComponent("read_mcap.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let run = try runCommand(["python3", scriptPath, fixed])
        XCTAssertEqual(run.status, 0, run.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        XCTAssertEqual((json["messages"] as? [Any])?.count, Int(result.messageCount))
    }
}
