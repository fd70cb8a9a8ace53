import HorusMemory

/// Why a topic could not be opened or used. Each case names the topic.
public enum TopicError: Error, CustomStringConvertible, Equatable {
    /// The topic exists with another message type (or layout, or size).
    case typeMismatch(topic: String, existing: String, requested: String)
    /// The segment is not a horus ring of this layout, or its header is damaged.
    case incompatible(topic: String, reason: String)
    /// Every participant entry is taken by live processes.
    case tooManyParticipants(topic: String)
    /// The message references a pool the ring cannot record (more than 8 pools).
    case tooManyPools(topic: String)
    /// The ring exists with another capacity than the one asked for (both powers of two;
    /// `requested` is the caller's value before rounding).
    case capacityMismatch(topic: String, existing: Int, requested: Int)
    /// `TopicOpening.open` of a topic no live process has.
    case notFound(topic: String)
    /// `TopicOpening.create` of a topic that exists.
    case alreadyExists(topic: String)
    /// A bad argument (capacity, name).
    case invalidArgument(topic: String, reason: String)
    /// An entry's commit word claims a ticket no publisher has taken (the entry was
    /// written by a broken or hostile process); the subscriber waits for it to be overwritten.
    case damagedEntry(topic: String, ticket: UInt64, commitWord: UInt64, published: UInt64)
    /// Another process truncated the topic's segment: its mapping here now reads zeros
    /// (see `horus_shm_guard.h`) and the topic delivers nothing more in this process.
    case truncated(topic: String)
    /// A POSIX call failed.
    case system(SystemError)

    public var description: String {
        switch self {
        case let .typeMismatch(topic, existing, requested):
            return "topic '\(topic)' carries \(existing), cannot open it as \(requested)"
        case let .incompatible(topic, reason):
            return "topic '\(topic)': not a usable horus ring: \(reason)"
        case let .tooManyParticipants(topic):
            return "topic '\(topic)': all participant entries are in use by live processes"
        case let .tooManyPools(topic):
            return "topic '\(topic)': messages come from more than 8 pools"
        case let .capacityMismatch(topic, existing, requested):
            let rounded = TopicRing.roundedCapacity(requested)
            let asked = rounded == requested ? "\(requested)" : "\(requested) (rounded up to \(rounded))"
            return "topic '\(topic)' exists with capacity \(existing), cannot open it with capacity \(asked): "
                + "ask for \(existing), or give no capacity to use the existing ring's"
        case let .notFound(topic):
            return "topic '\(topic)' does not exist in namespace \(HorusNamespace.current)"
        case let .alreadyExists(topic):
            return "topic '\(topic)' already exists in namespace \(HorusNamespace.current)"
        case let .invalidArgument(topic, reason):
            return "topic '\(topic)': \(reason)"
        case let .damagedEntry(topic, ticket, commitWord, published):
            return "topic '\(topic)': ring entry for ticket \(ticket) is damaged: its commit word \(commitWord) "
                + "claims a ticket not yet published (\(published) published); ignored until a publisher overwrites it"
        case let .truncated(topic):
            return "topic '\(topic)': its shared-memory segment was truncated by another process; "
                + "the topic is dead in this process (reopen it after every process has left it)"
        case let .system(e):
            return e.description
        }
    }
}
