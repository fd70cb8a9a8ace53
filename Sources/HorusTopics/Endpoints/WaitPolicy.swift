/// How a subscriber waits for the next message.
public enum WaitPolicy: Sendable, Equatable {
    /// Busy-poll: lowest latency, one core at 100% while waiting.
    case spin
    /// Sleep in futex_wait until a publisher wakes the topic: no CPU while idle.
    case block
    /// Poll `spins` times, then sleep: low latency under load, idle when quiet.
    case spinThenBlock(spins: Int)
    /// Poll `spins` times, then keep polling with `sched_yield` between polls: never
    /// sleeps in the kernel, but gives the core to any other runnable thread. For
    /// several spinning subscribers on fewer cores (the one that holds a core sees a
    /// publish within a cache-line transfer; the others get their turn promptly).
    case spinThenYield(spins: Int)
}
