import CHorus

/// Scheduling priority of the calling thread (Linux schedules threads, so this touches one
/// thread, not the process): helpers such as the live view run below the graph's nodes.
package enum ThreadPriority {
    /// The nice value of background threads: CFS gives such a thread about 1.5 % of a core
    /// that a default-priority thread wants, and all of an idle one.
    package static let backgroundNice: Int32 = 19

    /// Lowers the calling thread to `backgroundNice`; returns false if the kernel refused.
    @discardableResult
    package static func makeCurrentThreadBackground() -> Bool { horus_set_thread_nice(backgroundNice) == 0 }

    /// The calling thread's nice value.
    package static var currentNice: Int32 { horus_thread_nice() }
}
