import Foundation
import HorusTopics
import HorusTestSupport
import XCTest

/// The ring's bridge-import mark (the DDS bridge's loop guard): the importer's row carries the
/// role and the header counts the marks; readers see both without joining the topic.
final class BridgeImportMarkTests: XCTestCase {
    func testMarkIsSeenByAnInspectorWhileThePublisherLives() throws {
        let topic = uniqueTopic("bridge-mark")
        var pub: Publisher<Pose>? = try Publisher<Pose>(topic: topic, capacity: 8)
        let sub = try Subscriber<Pose>(topic: topic, capacity: 8)
        let before = try TopicInspector(topic: topic)
        XCTAssertEqual(before.bridgeImportMarks, 0)
        XCTAssertEqual(before.bridgeImporters, [])
        try TopicRing.markBridgeImport(topic: topic)
        let after = try TopicInspector(topic: topic)
        XCTAssertEqual(after.bridgeImportMarks, 1)
        XCTAssertEqual(after.bridgeImporters, [getpid()])
        // The row counts only while this process publishes the topic.
        pub = nil
        XCTAssertEqual(after.bridgeImporters, [], "a process that only subscribes is not an importer")
        _ = (pub, sub)
    }

    func testMarkingATopicThisProcessHasNotOpenIsAnError() {
        XCTAssertThrowsError(try TopicRing.markBridgeImport(topic: uniqueTopic("not-open"))) { e in
            guard case TopicError.notFound = e else { return XCTFail("\(e)") }
        }
    }
}
