/// Where a topic lives. Chosen by whoever opens it first in a process; every publisher
/// and subscriber of that name in the process must ask for the same scope.
public enum TopicScope: Sendable, Equatable {
    /// A shared-memory ring any process of the namespace can open (the default).
    case interprocess
    /// A ring in this process's private memory, invisible to other processes (no shm
    /// object, no participant bookkeeping). Entries of pool-backed topics hold the
    /// messages themselves, so publishing forms no descriptor and receiving decodes and
    /// validates nothing (a read-only view sharing the slot); plain structs are copied
    /// as in the shared ring.
    /// Same API and semantics otherwise: history, lapping with exact drop counts, type
    /// checks, wait policies.
    case process
}
