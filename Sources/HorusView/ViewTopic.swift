import Atomics
import NIOCore

/// The publishing side of one channel: `publish` hands a message to every subscribed
/// client without blocking (see `ViewClient.enqueue`).
///
/// Call `publish` from one thread at a time per topic (a topic tap's thread): it reuses
/// one encoding buffer.
public final class ViewTopic<C: ViewChannel>: @unchecked Sendable {
    /// The channel id advertised to clients.
    public let id: UInt32
    public let channel: C
    let subscribers = ManagedAtomic<SubscriberList>(SubscriberList.empty)
    private var scratch: [UInt8] = []
    private let allocator = ByteBufferAllocator()
    /// Messages encoded (published while at least one client was subscribed).
    public private(set) var encodedCount = 0
    /// Messages the channel failed to encode (counted, not sent).
    public private(set) var encodeFailures = 0

    init(id: UInt32, channel: C) {
        self.id = id
        self.channel = channel
    }

    /// Whether any client subscribes now (one atomic load).
    public var hasSubscribers: Bool { !subscribers.load(ordering: .acquiring).entries.isEmpty }

    /// Encodes `message` once if a client subscribes, and queues it for each subscriber
    /// (dropping it for a client whose queue is full). Returns the number of clients it
    /// was queued for or dropped at, 0 when nobody subscribes (nothing encoded).
    @discardableResult
    public func publish(_ message: C.Message, receiveTimeNs: UInt64) -> Int {
        let list = subscribers.load(ordering: .acquiring)
        guard !list.entries.isEmpty else { return 0 }
        scratch.removeAll(keepingCapacity: true)
        do { try channel.encode(message, into: &scratch) } catch {
            encodeFailures += 1
            return 0
        }
        encodedCount += 1
        var payload = allocator.buffer(capacity: scratch.count)
        payload.writeBytes(scratch)
        for sub in list.entries { sub.client.enqueue(payload, for: sub, receiveTimeNs: receiveTimeNs) }
        return list.entries.count
    }

    var advertisement: ChannelAdvertisement {
        ChannelAdvertisement(id: id, topic: channel.topic, encoding: channel.encoding, schemaName: channel.schemaName,
                             schema: channel.schema, schemaEncoding: channel.schemaEncoding)
    }
}

/// What the server keeps of a channel regardless of its message type.
protocol AnyViewTopic: AnyObject, Sendable {
    var id: UInt32 { get }
    var advertisement: ChannelAdvertisement { get }
    var subscribers: ManagedAtomic<SubscriberList> { get }
}

extension ViewTopic: AnyViewTopic {}
