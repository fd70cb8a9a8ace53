import Foundation
import HorusDDS
import XCTest

/// In-process behaviour of the DDS layer (no namespaces): loading, own samples ignored,
/// discovery listing, argument errors.
final class DDSLocalTests: XCTestCase {
    /// A domain no other test process uses at the same time (local traffic only, but discovery is real).
    /// A domain per test process, in 1...98: Cyclone's ports (7400 + 250 x domain + ...) then stay
    /// below the kernel's ephemeral range (32768...), where another socket may already hold them.
    private func uniqueDomain() -> UInt32 { UInt32(1 + (Int(getpid()) % 98)) }
    private func uniqueTopic(_ line: UInt = #line) -> String { "rt/horus_test/p\(getpid())_\(line)" }

    func testLibraryLoadsFromNextToTheExecutableAndNamesTheEngine() throws {
        let library = try DDSLibrary.shared()
        XCTAssertTrue(library.path.hasSuffix("/libhorus_dds.so"), library.path)
        XCTAssertEqual(library.engineVersion.prefix(16), "Cyclone DDS 0.10")
    }

    func testOwnParticipantsSamplesAreIgnoredButOthersGetThem() throws {
        let topic = uniqueTopic(), type = "std_msgs::msg::dds_::UInt32_"
        let a = try DDSParticipant(domain: uniqueDomain()), b = try DDSParticipant(domain: uniqueDomain())
        let writer = try a.writer(topic: topic, typeName: type)
        let own = try a.reader(topic: topic, typeName: type)
        let other = try b.reader(topic: topic, typeName: type)
        let deadline = Date().addingTimeInterval(10)
        while try writer.matchedReaders() < 1, Date() < deadline { usleep(10_000) }
        let sample: [UInt8] = [0, 1, 0, 0, 42, 0, 0, 0]
        try sample.withUnsafeBytes { try writer.write($0) }
        XCTAssertTrue(try other.wait(timeoutNanoseconds: 5_000_000_000))
        var got: [[UInt8]] = []
        try other.take { bytes, _ in got.append(Array(bytes)) }
        XCTAssertEqual(got, [sample])
        XCTAssertFalse(try own.wait(timeoutNanoseconds: 300_000_000), "the writer's own participant never reads its sample")
        XCTAssertEqual(try own.take { _, _ in XCTFail("own sample") }, 0)
    }

    func testZeroCopyWriteSendsWhatTheClosureSerialized() throws {
        let topic = uniqueTopic(), type = "std_msgs::msg::dds_::String_"
        let a = try DDSParticipant(domain: uniqueDomain()), b = try DDSParticipant(domain: uniqueDomain())
        let writer = try a.writer(topic: topic, typeName: type)
        let reader = try b.reader(topic: topic, typeName: type)
        let deadline = Date().addingTimeInterval(10)
        while try writer.matchedReaders() < 1, Date() < deadline { usleep(10_000) }
        struct Nope: Error {}
        XCTAssertThrowsError(try writer.write(size: 12) { _ in throw Nope() }) // discarded, never sent
        var w = CDRWriter()
        w.string("hello")
        let expected = Data([0, 1, 0, 0]) + w.body
        try writer.write(size: expected.count) { buffer in _ = expected.copyBytes(to: buffer.bindMemory(to: UInt8.self)) }
        XCTAssertTrue(try reader.wait(timeoutNanoseconds: 5_000_000_000))
        var got: [Data] = []
        try reader.take { bytes, _ in got.append(Data(bytes)) }
        XCTAssertEqual(got, [expected])
    }

    func testDiscoveredEndpointsListOtherParticipantsTopicsWithTypeNames() throws {
        let topic = uniqueTopic()
        let a = try DDSParticipant(domain: uniqueDomain()), b = try DDSParticipant(domain: uniqueDomain())
        let writer = try a.writer(topic: topic, typeName: "sensor_msgs::msg::dds_::Image_", qos: DDSQoS(reliable: false))
        let reader = try a.reader(topic: topic + "_in", typeName: "nav_msgs::msg::dds_::OccupancyGrid_")
        var seen: [DDSEndpoint] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            seen = try b.endpoints().filter { $0.topic.hasPrefix(topic) }
            if seen.count >= 2 { break }
            usleep(50_000)
        } while Date() < deadline
        XCTAssertTrue(seen.contains { $0.topic == topic && $0.typeName == "sensor_msgs::msg::dds_::Image_" && $0.isWriter && !$0.reliable }, "\(seen)")
        XCTAssertTrue(seen.contains { $0.topic == topic + "_in" && $0.typeName == "nav_msgs::msg::dds_::OccupancyGrid_" && !$0.isWriter && $0.reliable }, "\(seen)")
        XCTAssertFalse(try a.endpoints().contains { $0.topic.hasPrefix(topic) }, "a participant does not list its own endpoints")
        _ = (writer, reader)
    }

    func testBadArgumentsGiveErrorsNamingTheValue() throws {
        let p = try DDSParticipant(domain: uniqueDomain())
        XCTAssertThrowsError(try p.writer(topic: "rt/x", typeName: "T", qos: DDSQoS(historyDepth: 0))) { e in
            XCTAssertEqual("\(e)", "writer rt/x: history depth 0 is out of range (1...100000)")
        }
        XCTAssertThrowsError(try p.reader(topic: "", typeName: "T")) { e in
            XCTAssertEqual("\(e)", "reader: topic name must be 1...255 characters")
        }
        XCTAssertThrowsError(try DDSParticipant(domain: 300)) { e in
            XCTAssertEqual("\(e)", "DDS domain id 300 is out of range (0...232)")
        }
        let w = try p.writer(topic: "rt/x", typeName: "T")
        XCTAssertThrowsError(try [UInt8(0), 1].withUnsafeBytes { try w.write($0) }) { e in
            XCTAssertEqual("\(e)", "write: a CDR sample is at least 4 bytes (encapsulation header), got 2")
        }
    }

    func testMissingLibraryAndMissingCycloneEachGiveOneLineSayingWhatToInstall() throws {
        XCTAssertThrowsError(try DDSLibrary.load(candidates: ["/nonexistent/libhorus_dds.so"])) { e in
            XCTAssertEqual("\(e)", "DDS bridge: libhorus_dds.so not found (looked at /nonexistent/libhorus_dds.so): build it with `swift build -c release --product horus_dds` (needs apt-get install cyclonedds-dev)")
        }
        // A library that needs a libddsc which is not there (as on a machine without Cyclone DDS).
        let lib = try libraryWithoutLibddsc(in: try temporaryDirectory(self))
        XCTAssertThrowsError(try DDSLibrary.load(candidates: [lib.path])) { e in
            XCTAssertEqual("\(e)", "DDS bridge: Cyclone DDS is not installed (\(lib.path) needs libddsc): apt-get install libddsc0debian")
        }
    }
}

/// `DDSWaitSet`: one wait over several readers and a wake from another thread (the bridge's sleep).
final class DDSWaitSetTests: XCTestCase {
    func testWaitSetWakesOnAnyAttachedReaderAndOnWake() throws {
        let domain = UInt32(1 + (Int(getpid()) % 98)), type = "std_msgs::msg::dds_::UInt32_"
        let a = try DDSParticipant(domain: domain), b = try DDSParticipant(domain: domain)
        let topics = ["rt/horus_test/ws\(getpid())_1", "rt/horus_test/ws\(getpid())_2"]
        let readers = try topics.map { try b.reader(topic: $0, typeName: type) }
        let writers = try topics.map { try a.writer(topic: $0, typeName: type) }
        let waitSet = try DDSWaitSet(participant: b)
        for r in readers { try waitSet.attach(r) }
        XCTAssertFalse(try waitSet.wait(timeoutNanoseconds: 20_000_000), "no data, no wake: times out")

        let deadline = Date().addingTimeInterval(10)
        while try writers.map({ try $0.matchedReaders() }).min()! < 1, Date() < deadline { usleep(10_000) }
        let sample: [UInt8] = [0, 1, 0, 0, 42, 0, 0, 0]
        try sample.withUnsafeBytes { try writers[1].write($0) }
        XCTAssertTrue(try waitSet.wait(timeoutNanoseconds: 5_000_000_000), "data on the second reader wakes it")
        XCTAssertEqual(try readers[1].take { _, _ in }, 1)
        XCTAssertFalse(try waitSet.wait(timeoutNanoseconds: 20_000_000), "taken: nothing left")

        let started = Date()
        let thread = Thread { usleep(100_000); waitSet.wake() }
        thread.start()
        XCTAssertTrue(try waitSet.wait(timeoutNanoseconds: 10_000_000_000), "woken by another thread")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertFalse(try waitSet.wait(timeoutNanoseconds: 20_000_000), "the wake was consumed")
        waitSet.wake()
        XCTAssertTrue(try waitSet.wait(timeoutNanoseconds: 0), "a wake before the wait returns it at once")
    }
}
