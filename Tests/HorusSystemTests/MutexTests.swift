import Foundation
import HorusSystem
import XCTest

/// Mutex and ConditionVariable: exclusion across threads, and a waiter woken by a signal.
final class MutexTests: XCTestCase {
    func testIncrementsFromManyThreadsAreNotLost() {
        let mutex = Mutex()
        final class Box: @unchecked Sendable { var value = 0 }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20_000 { mutex.withLock { box.value += 1 } }
        }
        XCTAssertEqual(box.value, 160_000)
    }

    func testAWaiterWakesWhenSignalled() {
        let mutex = Mutex(), cond = ConditionVariable()
        final class Box: @unchecked Sendable { var ready = false, seen = false }
        let box = Box()
        let done = expectation(description: "waiter saw the flag")
        Thread.detachNewThread {
            mutex.lock()
            while !box.ready { cond.wait(mutex) }
            box.seen = true
            mutex.unlock()
            done.fulfill()
        }
        usleep(20_000)
        mutex.withLock {
            box.ready = true
            cond.signal()
        }
        wait(for: [done], timeout: 5)
        XCTAssertTrue(mutex.withLock { box.seen })
    }
}
