/// How a publisher or subscriber opens its topic's ring.
///
/// A capacity given with `.open` or `.openOrCreate` must match an existing ring's (after
/// rounding up to a power of two): a mismatch is `TopicError.capacityMismatch`, naming
/// both. Without a capacity, an existing ring is taken as it is and a new one gets 16
/// entries.
public enum TopicOpening: Sendable, Equatable {
    /// Create the ring; `TopicError.alreadyExists` if a live one exists (a leftover of
    /// crashed processes is replaced).
    case create
    /// Open the existing ring; `TopicError.notFound` if there is none.
    case open
    /// Open the ring if it exists, create it otherwise (the default; what graphs do).
    case openOrCreate
}
