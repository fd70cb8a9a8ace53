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
    /// A bad argument (capacity, name).
    case invalidArgument(topic: String, reason: String)
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
        case let .invalidArgument(topic, reason):
            return "topic '\(topic)': \(reason)"
        case let .system(e):
            return e.description
        }
    }
}
