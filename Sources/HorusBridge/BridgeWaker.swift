import Atomics
import Foundation
import HorusDDS
import HorusTopics

/// A thread that sleeps on one exported topic (futex) and wakes the bridge's DDS waitset when it
/// is published, so the bridge thread sleeps on imports and exports at once and polls nothing.
final class BridgeWaker: @unchecked Sendable {
    private let stopping = ManagedAtomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    init(watch: TopicPublishWatch, waitSet: DDSWaitSet) {
        let thread = Thread { [stopping, exited] in
            // Set on the thread itself, at most 15 characters: only then does Linux name it (/proc/PID/task/*/comm).
            Thread.current.name = "bridge-wake"
            while !stopping.load(ordering: .relaxed) {
                if watch.wait(timeoutNs: 50_000_000) { waitSet.wake() }
            }
            exited.signal()
        }
        thread.start()
    }

    /// Ends the thread (within its 50 ms wait slice) and waits for it.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        exited.wait()
    }
}
