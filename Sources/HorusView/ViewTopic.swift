import Atomics
import NIOCore

/// The publishing side of one channel: `publish` hands a message to every subscribed
/// client without blocking (see `ViewClient.reserve` and `send`).
///
/// Call `publish` from one thread at a time per topic (a topic tap's thread): it reuses
/// one send buffer.
public final class ViewTopic<C: ViewChannel>: @unchecked Sendable {
    /// The channel id advertised to clients.
    public let id: UInt32
    public let channel: C
    let subscribers = ManagedAtomic<SubscriberList>(SubscriberList.empty)
    /// The last message's bytes. Every client's frame shares this storage; `clear()` reuses it
    /// once they have all been written and allocates fresh storage while one is still queued.
    private var buffer = ByteBufferAllocator().buffer(capacity: 0)
    /// The subscribers that have room for the message being published (reused).
    private var ready: [ViewSubscription] = []
    /// Messages encoded (published while at least one subscribed client had room for it).
    public private(set) var encodedCount = 0
    /// Messages the channel failed to encode (counted, not sent).
    public private(set) var encodeFailures = 0

    init(id: UInt32, channel: C) {
        self.id = id
        self.channel = channel
    }

    /// Whether any client subscribes now (one atomic load).
    public var hasSubscribers: Bool { !subscribers.load(ordering: .acquiring).entries.isEmpty }

    /// Queues `message` for every subscriber with room in its send queue, encoded once straight
    /// into the buffer their frames share; a client whose queue is full drops it (counted), and
    /// when no subscriber has room nothing is encoded. Returns the number of clients it was
    /// queued for or dropped at, 0 when nobody subscribes (nothing encoded).
    @discardableResult
    public func publish(_ message: C.Message, receiveTimeNs: UInt64) -> Int {
        let list = subscribers.load(ordering: .acquiring)
        guard !list.entries.isEmpty else { return 0 }
        guard let size = try? channel.encodedSize(message) else {
            encodeFailures += 1
            return 0
        }
        ready.removeAll(keepingCapacity: true)
        for sub in list.entries where sub.client.reserve(size, for: sub) { ready.append(sub) }
        guard !ready.isEmpty else { return list.entries.count }
        buffer.clear()
        do {
            let written = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
                try channel.encode(message, into: UnsafeMutableRawBufferPointer(rebasing: raw.prefix(size)))
            }
            guard written == size else { throw ViewEncodingError(topic: channel.topic, expected: size, written: written) }
        } catch {
            buffer.clear()
            for sub in ready { sub.client.cancel(size) }
            encodeFailures += 1
            return 0
        }
        encodedCount += 1
        for sub in ready { sub.client.send(buffer, for: sub, receiveTimeNs: receiveTimeNs) }
        return list.entries.count
    }

    var advertisement: ChannelAdvertisement {
        ChannelAdvertisement(id: id, topic: channel.topic, encoding: channel.encoding, schemaName: channel.schemaName,
                             schema: channel.schema, schemaEncoding: channel.schemaEncoding)
    }
}

/// A channel whose `encode` wrote a different number of bytes than its `encodedSize` said.
struct ViewEncodingError: Error {
    let topic: String
    let expected: Int
    let written: Int
}

/// What the server keeps of a channel regardless of its message type.
protocol AnyViewTopic: AnyObject, Sendable {
    var id: UInt32 { get }
    var advertisement: ChannelAdvertisement { get }
    var subscribers: ManagedAtomic<SubscriberList> { get }
}

extension ViewTopic: AnyViewTopic {}
