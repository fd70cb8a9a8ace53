import Foundation
import HorusSystem
import XCTest

final class ThreadPriorityTests: XCTestCase {
    /// Lowering a thread changes that thread only: Linux schedules threads, not processes.
    func testBackgroundLowersOnlyTheCallingThread() {
        let before = ThreadPriority.currentNice
        var inThread: (Bool, Int32) = (false, 0)
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            inThread = (ThreadPriority.makeCurrentThreadBackground(), ThreadPriority.currentNice)
            done.signal()
        }
        t.start()
        done.wait()
        XCTAssertTrue(inThread.0)
        XCTAssertEqual(inThread.1, ThreadPriority.backgroundNice)
        XCTAssertEqual(ThreadPriority.currentNice, before, "the calling thread of the test is untouched")
    }
}
