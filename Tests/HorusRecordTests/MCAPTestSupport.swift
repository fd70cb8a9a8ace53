import Foundation
import XCTest
@testable import HorusRecord

/// Shared fixtures: temporary directories and a deterministic multi-channel sample file.
enum MCAPTestSupport {
    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("horus-record-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Deterministic xorshift generator so failures are reproducible.
    struct XorShift {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    struct Sample {
        var schemas: [MCAPSchema]
        var channels: [MCAPChannel]
        var messages: [MCAPMessage]
    }

    /// Writes 3 schemas, 4 channels (one without schema) and `count` messages of varied sizes using all write overloads.
    @discardableResult
    static func writeSample(path: String, count: Int = 3000, chunkSize: Int = 4096, seed: UInt64 = 0x9E37_79B9) throws -> Sample {
        let w = try MCAPWriter(path: path, chunkSize: chunkSize)
        var schemas: [MCAPSchema] = []
        let defs: [(String, String, [UInt8])] = [
            ("horus.Image", "jsonschema", Array(#"{"type":"object","properties":{"w":{"type":"integer"}}}"#.utf8)),
            ("horus.Imu", "ros2msg", Array("float64[3] accel\nfloat64[3] gyro\n".utf8)),
            ("horus.Empty", "", []),
        ]
        for (name, enc, data) in defs {
            let id = w.addSchema(name: name, encoding: enc, data: data)
            schemas.append(MCAPSchema(id: id, name: name, encoding: enc, data: data))
        }
        let chanDefs: [(String, UInt16, String, [String: String])] = [
            ("/camera/image", 1, "json", ["frame_id": "cam0", "rate": "30"]),
            ("/imu", 2, "cdr", [:]),
            ("/events", 0, "x-horus-raw", ["note": "no schema"]),
            ("/status", 3, "json", [:]),
        ]
        var channels: [MCAPChannel] = []
        for (topic, schema, enc, meta) in chanDefs {
            let id = w.addChannel(topic: topic, schemaID: schema, messageEncoding: enc, metadata: meta)
            channels.append(MCAPChannel(id: id, schemaID: schema, topic: topic, messageEncoding: enc, metadata: meta))
        }
        var rng = XorShift(state: seed)
        var messages: [MCAPMessage] = []
        var sequences = [UInt32](repeating: 0, count: 5)
        for i in 0..<count {
            let ch = UInt16(1 + Int(rng.next() % 4))
            let size = ch == 1 ? Int(rng.next() % 900) : Int(rng.next() % 64)
            let payload = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let logTime = 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000
            sequences[Int(ch)] += 1
            let seq = sequences[Int(ch)]
            let pub = logTime - 500
            switch i % 3 {
            case 0:
                try w.write(channel: ch, sequence: seq, logTime: logTime, publishTime: pub, data: payload)
            case 1:
                let split = size / 3
                try payload.withUnsafeBytes { all in
                    try w.write(channel: ch, sequence: seq, logTime: logTime, publishTime: pub,
                                header: UnsafeRawBufferPointer(rebasing: all[0..<split]),
                                payload: UnsafeRawBufferPointer(rebasing: all[split..<size]))
                }
            default:
                let a = size / 4, b = size / 2
                try payload.withUnsafeBytes { all in
                    try w.write(channel: ch, sequence: seq, logTime: logTime, publishTime: pub, parts: [
                        UnsafeRawBufferPointer(rebasing: all[0..<a]),
                        UnsafeRawBufferPointer(rebasing: all[a..<b]),
                        UnsafeRawBufferPointer(rebasing: all[b..<size]),
                    ])
                }
            }
            messages.append(MCAPMessage(channelID: ch, sequence: seq, logTime: logTime, publishTime: pub, data: payload))
        }
        try w.close()
        return Sample(schemas: schemas, channels: channels, messages: messages)
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func writeBytes(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func u64(_ b: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(b[at + i]) }
        return v
    }

    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(truncatingIfNeeded: u64(b + [0, 0, 0, 0], at)) }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
}
