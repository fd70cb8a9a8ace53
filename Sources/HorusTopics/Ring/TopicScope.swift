/// Where a topic lives. Chosen by whoever opens it first in a process; every publisher
/// and subscriber of that name in the process must ask for the same scope.
public enum TopicScope: Sendable, Equatable {
    /// A shared-memory ring any process of the namespace can open (the default).
    case interprocess
    /// A ring in this process's private memory, invisible to other processes: entries
    /// hold the messages themselves, so publishing a pool-backed message forms no
    /// descriptor and receiving one decodes nothing (a read-only view sharing the slot).
    /// Same API and semantics otherwise: history, lapping with exact drop counts, type
    /// checks, wait policies.
    case process
}
