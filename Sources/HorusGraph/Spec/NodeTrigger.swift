/// When a node's step function runs.
public enum NodeTrigger: Sendable, Hashable, CustomStringConvertible {
    /// Periodically at `hz` (graph key `rate: 30`).
    case periodic(hz: Double)
    /// Whenever a message arrives on any wired input (graph key `trigger: input`).
    case anyInput
    /// Whenever a message arrives on the named input port (graph key `trigger: <port>`).
    case input(String)

    /// Human form, e.g. `rate 30.0 Hz`, `any input`, `input 'depth'`.
    public var description: String {
        switch self {
        case .periodic(let hz): return "rate \(hz) Hz"
        case .anyInput: return "any input"
        case .input(let port): return "input '\(port)'"
        }
    }
}
