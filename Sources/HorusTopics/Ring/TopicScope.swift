/// Where a topic lives. Chosen by whoever opens it first in a process; every publisher
/// and subscriber of that name in the process must ask for the same scope.
public enum TopicScope: Sendable, Equatable {
    /// A shared-memory ring any process of the namespace can open (the default).
    case interprocess
    /// A ring in this process's private memory, invisible to other processes (no shm
    /// object, no flock, no participant bookkeeping). The entries and the publish and
    /// receive code are the shared ring's own, so the API and semantics are the same:
    /// descriptors of pool-backed messages (zero-copy, read-only views of the slot),
    /// history, lapping with exact drop counts, type checks, wait policies.
    case process
}
