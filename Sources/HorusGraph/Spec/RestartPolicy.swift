/// What to do when a node fails (graph key `restart:`), e.g.
/// `restart: {policy: on-failure, max_restarts: 3, backoff_ms: 200}` or `restart: never`.
public struct RestartPolicy: Sendable, Hashable {
    /// When to restart.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Never restart; a failing node stops the graph.
        case never
        /// Restart after a failure (error or crash).
        case onFailure = "on-failure"
        /// Restart whenever the node stops, including clean exits.
        case always
    }

    /// When to restart.
    public var kind: Kind
    /// Maximum number of restarts before giving up; nil means unlimited.
    public var maxRestarts: Int?
    /// Delay before each restart, in milliseconds.
    public var backoffMilliseconds: Int

    /// Default restart delay.
    public static let defaultBackoffMilliseconds = 100
    /// The policy used when a node has no `restart:` key.
    public static let `default` = RestartPolicy(kind: .never)

    /// Creates a policy.
    public init(kind: Kind, maxRestarts: Int? = nil, backoffMilliseconds: Int = RestartPolicy.defaultBackoffMilliseconds) {
        self.kind = kind
        self.maxRestarts = maxRestarts
        self.backoffMilliseconds = backoffMilliseconds
    }
}
