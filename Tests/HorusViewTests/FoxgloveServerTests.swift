import Foundation
import HorusTestSupport
@testable import HorusView
import XCTest

/// The Foxglove WebSocket server against the Python `websockets` client (and raw sockets
/// where a client must misbehave below the WebSocket layer).
final class FoxgloveServerTests: XCTestCase {
    func testClientGetsServerInfoAdvertiseAndExactlyThePublishedPayloads() throws {
        let server = try startServer()
        defer { server.shutdown() }
        let image = server.addChannel(BytesChannel(topic: "/test/image"))
        let other = server.addChannel(BytesChannel(topic: "/test/other"))
        let client = try pythonClient("basic", port: server.port, 20)
        XCTAssertEqual(client.value(after: "SUBSCRIBED"), "1")
        XCTAssertTrue(eventually { image.hasSubscribers })
        XCTAssertFalse(other.hasSubscribers)

        let sent = (0..<20).map { payload($0, size: 300 + $0) }
        for (i, p) in sent.enumerated() {
            XCTAssertEqual(image.publish(p, receiveTimeNs: 1_000_000 + UInt64(i)), 1)
            XCTAssertEqual(other.publish(p, receiveTimeNs: 5), 0, "nobody subscribes to /test/other")
        }
        let result = try XCTUnwrap(try json(client.value(after: "RESULT")) as? [String: Any])
        XCTAssertEqual(result["subprotocol"] as? String, "foxglove.websocket.v1")
        let info = try XCTUnwrap(result["serverInfo"] as? [String: Any])
        XCTAssertEqual(info["op"] as? String, "serverInfo")
        XCTAssertEqual(info["name"] as? String, "horus")
        XCTAssertEqual(info["capabilities"] as? [String], [])
        let adv = try XCTUnwrap(result["advertise"] as? [String: Any])
        XCTAssertEqual(adv["op"] as? String, "advertise")
        let channels = try XCTUnwrap(adv["channels"] as? [[String: Any]])
        XCTAssertEqual(channels.compactMap { $0["topic"] as? String }, ["/test/image", "/test/other"])
        XCTAssertEqual(channels[0]["id"] as? Int, Int(image.id))
        XCTAssertEqual(channels[0]["encoding"] as? String, "horus-test")
        XCTAssertEqual(channels[0]["schemaName"] as? String, "horus_test/Bytes")
        XCTAssertEqual(channels[0]["schemaEncoding"] as? String, "jsonschema")
        XCTAssertEqual(channels[0]["schema"] as? String, #"{"type": "object"}"#)

        let data = try XCTUnwrap(result["data"] as? [[String: Any]])
        XCTAssertEqual(data.count, 20)
        XCTAssertEqual(data.compactMap { $0["sub"] as? Int }, Array(repeating: 7, count: 20))
        XCTAssertEqual(data.compactMap { $0["ts"] as? Int }, (0..<20).map { 1_000_000 + $0 })
        XCTAssertEqual(data.compactMap { $0["len"] as? Int }, sent.map(\.count))
        XCTAssertEqual(data.compactMap { $0["hash"] as? String }, sent.map(hash))
        XCTAssertEqual(image.channel.encodes.load(ordering: .relaxed), 20)
        XCTAssertEqual(other.channel.encodes.load(ordering: .relaxed), 0, "an unsubscribed channel is never encoded")

        // After the unsubscribe nothing is encoded or sent.
        XCTAssertTrue(eventually { !image.hasSubscribers })
        for i in 0..<5 { XCTAssertEqual(image.publish(payload(i, size: 10), receiveTimeNs: 0), 0) }
        let after = try XCTUnwrap(try json(client.value(after: "AFTER")) as? [String: Any])
        XCTAssertEqual(after["frames"] as? Int, 0)
        XCTAssertEqual(client.wait(), 0)
        XCTAssertEqual(image.channel.encodes.load(ordering: .relaxed), 20)
        let stats = try XCTUnwrap(server.stats().first)
        XCTAssertEqual(stats.subscriptions.map(\.sent), [20])
        XCTAssertEqual(stats.subscriptions.map(\.dropped), [0])
    }

    func testStalledClientLosesCountedMessagesWhileAnotherGetsEverythingAndPublishNeverWaits() throws {
        let server = try startServer(ViewServerConfiguration(port: 0, sendQueueDepth: 16))
        defer { server.shutdown() }
        let topic = server.addChannel(BytesChannel(topic: "/test/image"))
        let stalled = try pythonClient("stalled", port: server.port)
        XCTAssertEqual(stalled.value(after: "SUBSCRIBED"), "1")
        let fast = try pythonClient("fast", port: server.port, 100)
        XCTAssertEqual(fast.value(after: "SUBSCRIBED"), "1")
        XCTAssertTrue(eventually { server.stats().filter { !$0.subscriptions.isEmpty }.count == 2 })

        let sent = (0..<100).map { payload($0, size: 128 << 10) }
        var slowest = 0.0
        for p in sent {
            let t0 = Date()
            XCTAssertEqual(topic.publish(p, receiveTimeNs: 1), 2)
            slowest = max(slowest, Date().timeIntervalSince(t0))
            usleep(10_000)
        }
        let got = try XCTUnwrap(try json(fast.value(after: "RESULT")) as? [String])
        XCTAssertEqual(got, sent.map(hash), "the reading client gets every message, in order")
        XCTAssertEqual(fast.wait(), 0)
        XCTAssertLessThan(slowest, 0.1, "publish must not wait for a stalled client")

        let stalledStats = try XCTUnwrap(server.stats().first { $0.subscriptions.first?.subscriptionID == 1 })
        let s = try XCTUnwrap(stalledStats.subscriptions.first)
        XCTAssertGreaterThan(s.dropped, 20, "12.5 MB to a client that never reads: most of it is dropped")
        XCTAssertLessThanOrEqual(s.sent + s.dropped, 100)
        let fastStats = try XCTUnwrap(server.stats().first { $0.subscriptions.first?.subscriptionID == 2 })
        XCTAssertEqual(fastStats.subscriptions.first?.dropped, 0)
        XCTAssertEqual(fastStats.subscriptions.first?.sent, 100)

        // Only the stalled client is left, its queue full: a message costs one failed
        // reservation, it is not even encoded.
        XCTAssertTrue(eventually { server.clientCount == 1 })
        let encodesBefore = topic.channel.encodes.load(ordering: .relaxed)
        for i in 0..<20 { XCTAssertEqual(topic.publish(payload(i, size: 128 << 10), receiveTimeNs: 1), 1) }
        XCTAssertEqual(topic.channel.encodes.load(ordering: .relaxed), encodesBefore, "nothing encoded for a full queue")
        let later = try XCTUnwrap(server.stats().first { $0.subscriptions.first?.subscriptionID == 1 }?.subscriptions.first)
        XCTAssertEqual(later.dropped, s.dropped + 20)
        stalled.send("bye")
        XCTAssertEqual(stalled.wait(), 0)
        XCTAssertTrue(eventually { server.clientCount == 0 })
    }

    func testEightClientsEachGetEveryMessage() throws {
        let server = try startServer()
        defer { server.shutdown() }
        let topic = server.addChannel(BytesChannel(topic: "/test/image"))
        let clients = try pythonClient("many", port: server.port, 8, 50)
        XCTAssertEqual(clients.value(after: "SUBSCRIBED"), "8")
        XCTAssertTrue(eventually { server.stats().filter { !$0.subscriptions.isEmpty }.count == 8 })
        let sent = (0..<50).map { payload($0, size: 1024) }
        for p in sent {
            XCTAssertEqual(topic.publish(p, receiveTimeNs: 2), 8)
            usleep(2_000)
        }
        let got = try XCTUnwrap(try json(clients.value(after: "RESULT")) as? [[String]])
        XCTAssertEqual(got.count, 8)
        for (i, hashes) in got.enumerated() { XCTAssertEqual(hashes, sent.map(hash), "client \(i)") }
        XCTAssertEqual(topic.channel.encodes.load(ordering: .relaxed), 50, "encoded once per message, not once per client")
        XCTAssertEqual(clients.wait(), 0)
        XCTAssertTrue(eventually { server.clientCount == 0 })
        XCTAssertEqual(server.stats().map(\.sent), Array(repeating: 50, count: 8))
    }

    func testMalformedFramesGetStatusRepliesAndTheServerKeepsServing() throws {
        let server = try startServer()
        defer { server.shutdown() }
        let topic = server.addChannel(BytesChannel(topic: "/test/image"))
        let client = try pythonClient("malformed", port: server.port)
        XCTAssertEqual(client.value(after: "SUBSCRIBED"), "1")
        XCTAssertTrue(eventually { topic.hasSubscribers })
        let p = payload(1, size: 64)
        XCTAssertEqual(topic.publish(p, receiveTimeNs: 3), 1)
        let result = try XCTUnwrap(try json(client.value(after: "RESULT")) as? [String: Any])
        let statuses = try XCTUnwrap(result["statuses"] as? [[String: Any]])
        XCTAssertEqual(statuses.count, 11)
        XCTAssertTrue(statuses.allSatisfy { $0["op"] as? String == "status" })
        XCTAssertEqual(statuses.compactMap { $0["level"] as? Int }, [2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2])
        let messages = statuses.compactMap { $0["message"] as? String }
        let expected = ["not valid JSON", "not a JSON object", "no string field 'op'", "unknown op 'bogus'",
                        "unknown channel id 999", "subscriptions[0].id must be a number", "subscriptions[0].id = -1",
                        "'subscriptions' must be an array", "unknown subscription id 42", "op 'getParameters' is not supported",
                        "binary client messages"]
        for (m, e) in zip(messages, expected) { XCTAssertTrue(m.contains(e), "status '\(m)' should say '\(e)'") }
        let data = try XCTUnwrap(result["data"] as? [[String: Any]])
        XCTAssertEqual(data.first?["hash"] as? String, hash(p))
        XCTAssertEqual(data.first?["sub"] as? Int, 3)
        XCTAssertEqual(result["refused"] as? String, "InvalidStatus", "an upgrade without the subprotocol is refused")
        XCTAssertEqual(client.wait(), 0)
        XCTAssertEqual(server.stats().first?.errorsReported, 11)
    }

    func testClientsVanishingMidFrameAreCleanedUp() throws {
        let server = try startServer(ViewServerConfiguration(port: 0, sendQueueDepth: 8))
        defer { server.shutdown() }
        let topic = server.addChannel(BytesChannel(topic: "/test/image"))
        let client = try pythonClient("midframe", port: server.port)
        XCTAssertEqual(client.value(after: "SUBSCRIBED"), "1")
        XCTAssertTrue(eventually { topic.hasSubscribers })
        // Large frames: the client reads 1000 bytes of the first and resets the connection.
        let big = payload(9, size: 4 << 20)
        var handed = 0
        for _ in 0..<20 where topic.hasSubscribers {
            handed += topic.publish(big, receiveTimeNs: 4)
            usleep(20_000)
        }
        XCTAssertGreaterThan(handed, 0)
        let result = try XCTUnwrap(try json(client.value(after: "RESULT")) as? [String: Any])
        XCTAssertEqual(result["read"] as? Int, 1000)
        XCTAssertEqual(client.wait(), 0)
        XCTAssertTrue(eventually { server.clientCount == 0 }, "both vanished clients are unregistered")
        XCTAssertTrue(eventually { !topic.hasSubscribers }, "and their subscriptions are gone")
        XCTAssertEqual(topic.publish(big, receiveTimeNs: 5), 0)

        // The server still serves a new client.
        let next = try pythonClient("basic", port: server.port, 1)
        XCTAssertEqual(next.value(after: "SUBSCRIBED"), "1")
        XCTAssertTrue(eventually { topic.hasSubscribers })
        let p = payload(2, size: 100)
        XCTAssertEqual(topic.publish(p, receiveTimeNs: 6), 1)
        let r = try XCTUnwrap(try json(next.value(after: "RESULT")) as? [String: Any])
        XCTAssertEqual((r["data"] as? [[String: Any]])?.first?["hash"] as? String, hash(p))
        _ = next.value(after: "AFTER")
        XCTAssertEqual(next.wait(), 0)
    }

    func testTimeFramesWhenTheServerAnnouncesTime() throws {
        let server = try startServer(ViewServerConfiguration(port: 0, sendsTime: true))
        defer { server.shutdown() }
        let client = try pythonClient("time", port: server.port)
        XCTAssertEqual(client.value(after: "SUBSCRIBED"), "0")
        XCTAssertTrue(eventually { server.clientCount == 1 })
        server.publishTime(1_234_567_890_123)
        let r = try XCTUnwrap(try json(client.value(after: "RESULT")) as? [String: Any])
        XCTAssertEqual(r["capabilities"] as? [String], ["time"])
        XCTAssertEqual(r["op"] as? Int, 2)
        XCTAssertEqual(r["ts"] as? Int, 1_234_567_890_123)
        XCTAssertEqual(r["len"] as? Int, 9)
        server.shutdown()
        XCTAssertEqual(client.value(after: "CLOSED"), "1001", "shutdown sends a close frame (going away)")
        XCTAssertEqual(client.wait(), 0)
    }

    func testBindsLoopbackByDefaultAndParsesAddresses() throws {
        XCTAssertEqual(ViewServerConfiguration().host, "127.0.0.1")
        XCTAssertEqual(ViewServerConfiguration().port, 8765)
        let server = try startServer()
        defer { server.shutdown() }
        XCTAssertTrue(server.boundAddress.hasPrefix("127.0.0.1:"), server.boundAddress)
        XCTAssertEqual(try ViewServerConfiguration.address("9000").host, "127.0.0.1")
        XCTAssertEqual(try ViewServerConfiguration.address("9000").port, 9000)
        XCTAssertEqual(try ViewServerConfiguration.address("0.0.0.0:8765").host, "0.0.0.0")
        for bad in ["", "abc", "1:2:3", ":80", "70000", "host:"] {
            XCTAssertThrowsError(try ViewServerConfiguration.address(bad), bad) { e in
                XCTAssertTrue("\(e)".contains("'\(bad)'"), "\(e)")
            }
        }
    }

    func testRequestParsingRejectsWrongTypes() throws {
        XCTAssertEqual(try ClientRequest.parse(#"{"op": "subscribe", "subscriptions": [{"id": 4294967295, "channelId": 1}]}"#),
                       .subscribe([(id: UInt32.max, channelID: UInt32(1))]))
        XCTAssertEqual(try ClientRequest.parse(#"{"op": "unsubscribe", "subscriptionIds": [3, 4]}"#), .unsubscribe([3, 4]))
        for bad in [#"{"op": "subscribe", "subscriptions": [{"id": true, "channelId": 1}]}"#,
                    #"{"op": "subscribe", "subscriptions": [{"id": 1.5, "channelId": 1}]}"#,
                    #"{"op": "subscribe", "subscriptions": [{"id": 4294967296, "channelId": 1}]}"#,
                    #"{"op": "unsubscribe", "subscriptionIds": ["1"]}"#, #"{"op": 3}"#, "{"] {
            XCTAssertThrowsError(try ClientRequest.parse(bad), bad)
        }
    }
}
