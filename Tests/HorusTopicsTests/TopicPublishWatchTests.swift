import Foundation
import HorusTopics
import XCTest

/// `TopicPublishWatch`: a thread sleeps until a topic is published (what the DDS bridge's wake
/// threads do), and no publish is missed between two waits.
final class TopicPublishWatchTests: XCTestCase {
    func testWaitReturnsOnAPublishFromAnotherThreadAndTimesOutWithout() throws {
        let topic = uniqueTopic("watch")
        let pub = try Publisher<Pose>(topic: topic)
        let sub = try Subscriber<Pose>(topic: topic)
        let watch = sub.publishWatch()
        XCTAssertFalse(watch.wait(timeoutNs: 20_000_000), "nothing published: the wait times out")

        let woke = expectation(description: "woken")
        let started = Date()
        let thread = Thread {  // as the bridge's wake thread: 50 ms slices until a publish
            let end = Date().addingTimeInterval(10)
            while Date() < end { if watch.wait(timeoutNs: 50_000_000) { woke.fulfill(); return } }
        }
        thread.start()
        usleep(100_000)
        try pub.publish(Pose(x: 1, y: 2, yaw: 0, id: 1))
        wait(for: [woke], timeout: 10)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "woken by the publish, not by the timeout")
        XCTAssertEqual(sub.tryReceive(), Pose(x: 1, y: 2, yaw: 0, id: 1), "the watch took nothing")
    }

    func testAPublishBetweenTwoWaitsMakesTheNextReturnAtOnce() throws {
        let topic = uniqueTopic("watch2")
        let pub = try Publisher<Pose>(topic: topic)
        let sub = try Subscriber<Pose>(topic: topic)
        let watch = sub.publishWatch()
        try pub.publish(Pose(x: 0, y: 0, yaw: 0, id: 7))
        XCTAssertTrue(watch.wait(timeoutNs: 0), "published before the wait: returns at once")
        XCTAssertFalse(watch.wait(timeoutNs: 20_000_000), "already reported: the next one waits")
        try pub.publish(Pose(x: 0, y: 0, yaw: 0, id: 8))
        try pub.publish(Pose(x: 0, y: 0, yaw: 0, id: 9))
        XCTAssertTrue(watch.wait(timeoutNs: 0))
    }
}
