/// How a subscriber waits for the next message.
public enum WaitPolicy: Sendable, Equatable {
    /// Busy-poll: lowest latency, one core at 100% while waiting.
    case spin
    /// Sleep in futex_wait until a publisher wakes the topic: no CPU while idle.
    case block
    /// Poll `spins` times, then sleep: low latency under load, idle when quiet.
    case spinThenBlock(spins: Int)
}
