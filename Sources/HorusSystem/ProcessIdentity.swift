import CHorus
#if canImport(Glibc)
import Glibc
#endif

/// One process, named by pid and start time so that a reused pid is not mistaken for it.
package struct ProcessIdentity: Equatable, Sendable {
    package let pid: Int32
    package let startTime: UInt64

    /// This process.
    package static let current: ProcessIdentity = {
        let pid = getpid()
        return ProcessIdentity(pid: pid, startTime: horus_process_start_time(pid))
    }()

    package init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// True while the process runs (a zombie counts as dead; a reused pid with another
    /// start time counts as dead).
    package var isAlive: Bool {
        guard pid > 0 else { return false }
        let now = horus_process_start_time(pid)  // 0: no such process, or a zombie
        return now != 0 && (startTime == 0 || now == startTime)
    }
}
