import Atomics

/// One client's subscription to one channel, with the counters the publish path bumps.
final class ViewSubscription: @unchecked Sendable {
    let client: ViewClient
    let subscriptionID: UInt32
    let channelID: UInt32
    let sent = ManagedAtomic<Int>(0)
    let dropped = ManagedAtomic<Int>(0)
    /// Cleared on unsubscribe or disconnect; frames already queued for it are then not written.
    let active = ManagedAtomic<Bool>(true)

    init(client: ViewClient, subscriptionID: UInt32, channelID: UInt32) {
        self.client = client
        self.subscriptionID = subscriptionID
        self.channelID = channelID
    }
}

/// An immutable list of a channel's subscriptions. Channels swap the whole list
/// atomically on (un)subscribe, so the publish path reads it with one atomic load, no lock.
final class SubscriberList: AtomicReference, @unchecked Sendable {
    let entries: [ViewSubscription]
    init(_ entries: [ViewSubscription]) { self.entries = entries }
    static let empty = SubscriberList([])
}
