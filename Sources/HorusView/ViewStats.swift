/// What one client received and lost on one channel.
public struct ViewSubscriptionStats: Sendable, Equatable {
    public var channelID: UInt32
    public var topic: String
    public var subscriptionID: UInt32
    /// Message Data frames written to the client's socket.
    public var sent: Int
    /// Messages not queued because the client's send queue was full.
    public var dropped: Int
    /// Whether the subscription is still active.
    public var active: Bool
}

/// One connected client's counters.
public struct ViewClientStats: Sendable, Equatable {
    public var clientID: Int
    public var remote: String
    /// Every subscription this client made, active or not.
    public var subscriptions: [ViewSubscriptionStats]
    /// Status messages sent to the client for bad requests.
    public var errorsReported: Int
    public var dropped: Int { subscriptions.reduce(0) { $0 + $1.dropped } }
    public var sent: Int { subscriptions.reduce(0) { $0 + $1.sent } }
}
