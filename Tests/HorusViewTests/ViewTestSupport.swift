import Atomics
import Foundation
import HorusTestSupport
import HorusView
import XCTest

/// A channel whose messages are byte arrays, sent as they are; counts its encode calls.
struct BytesChannel: ViewChannel {
    typealias Message = [UInt8]
    let topic: String
    let encodes = ManagedAtomic<Int>(0)
    var schemaName: String { "horus_test/Bytes" }
    var schemaEncoding: String { "jsonschema" }
    var schema: String { #"{"type": "object"}"# }
    var encoding: String { "horus-test" }
    func encodedSize(_ message: [UInt8]) throws -> Int { message.count }
    func encode(_ message: [UInt8], into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        encodes.wrappingIncrement(ordering: .relaxed)
        buffer.copyBytes(from: message)
        return message.count
    }
}

/// Distinct, deterministic payload number `i` of `size` bytes.
func payload(_ i: Int, size: Int) -> [UInt8] {
    var x = UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15
    return (0..<size).map { _ in x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return UInt8(truncatingIfNeeded: x >> 56) }
}

func hash(_ b: [UInt8]) -> String { b.withUnsafeBytes { String(checksum($0)) } }

/// The Python `websockets` client script in a child process.
func pythonClient(_ scenario: String, port: Int, _ args: Int...) throws -> ChildProcess {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/foxglove_client.py").path
    return try ChildProcess(url: URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, scenario, "\(port)"] + args.map(String.init))
}

/// Polls `condition` every 10 ms for up to `timeout` seconds.
func eventually(_ timeout: Double = 20, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Decodes a RESULT line's JSON.
func json(_ text: String?) throws -> Any {
    let t = try XCTUnwrap(text, "client printed no result")
    return try JSONSerialization.jsonObject(with: Data(t.utf8))
}

/// A server on a free loopback port with one or more byte channels.
func startServer(_ configuration: ViewServerConfiguration = ViewServerConfiguration(port: 0)) throws -> ViewServer {
    let s = ViewServer(configuration: configuration)
    try s.start()
    return s
}
