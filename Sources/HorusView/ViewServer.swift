import Atomics
import Foundation
import HorusSystem
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A Foxglove WebSocket server (subprotocol `foxglove.websocket.v1`) over swift-nio.
///
/// Channels are added with `addChannel` and fed with `ViewTopic.publish`; clients get
/// serverInfo and the advertised channels on connect, subscribe to what they want, and
/// receive Message Data frames for those only, each through its own bounded send queue.
public final class ViewServer: @unchecked Sendable {
    public let configuration: ViewServerConfiguration
    private let group: MultiThreadedEventLoopGroup
    private var serverChannel: Channel?
    private let sessionID = String(UInt64(Date().timeIntervalSince1970 * 1000))

    private struct State {
        var nextClientID = 1
        var nextChannelID: UInt32 = 1
        var clients: [Int: ViewClient] = [:]
        var topics: [UInt32: AnyViewTopic] = [:]
        /// Topic names of every channel ever added (statistics outlive removed channels).
        var topicNames: [UInt32: String] = [:]
        /// Statistics of clients that have gone.
        var departed: [ViewClientStats] = []
    }
    private let state = NIOLockedValueBox(State())
    private let isShutDown = ManagedAtomic<Bool>(false)

    /// A server that listens once `start` is called. `threads` event loops serve the clients.
    public init(configuration: ViewServerConfiguration = ViewServerConfiguration(), threads: Int = 1) {
        self.configuration = configuration
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        if configuration.background {
            for loop in group.makeIterator() { loop.execute { ThreadPriority.makeCurrentThreadBackground() } }
        }
    }

    /// Binds and starts accepting clients.
    public func start() throws {
        let subprotocol = FoxgloveWire.subprotocol
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: 1 << 20, automaticErrorHandling: true,
                    shouldUpgrade: { ch, head in
                        let offered = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map { String($0) }
                        guard offered.contains(subprotocol) else { return ch.eventLoop.makeSucceededFuture(nil) }
                        return ch.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", subprotocol)]))
                    },
                    upgradePipelineHandler: { [self] ch, _ in
                        ch.eventLoop.makeCompletedFuture {
                            try ch.pipeline.syncOperations.addHandlers([
                                NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64, maxAccumulatedFrameSize: 1 << 20),
                                FoxgloveHandler(server: self),
                            ])
                        }
                    })
                let refusal = HTTPRefusalHandler()
                return channel.pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { ctx in
                    ctx.pipeline.removeHandler(refusal, promise: nil)
                })).flatMap { channel.pipeline.addHandler(refusal) }
            }
        do {
            serverChannel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        } catch {
            throw ViewServerError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
    }

    /// The bound address, "IP:PORT".
    public var boundAddress: String {
        guard let a = serverChannel?.localAddress else { return "\(configuration.host):\(configuration.port)" }
        return "\(a.ipAddress ?? configuration.host):\(a.port ?? configuration.port)"
    }

    /// The bound port (the chosen one when the configuration asked for 0).
    public var port: Int { serverChannel?.localAddress?.port ?? configuration.port }

    /// Advertises a channel to every client (now and on connect) and returns its publisher.
    public func addChannel<C: ViewChannel>(_ channel: C) -> ViewTopic<C> {
        let (topic, clients) = state.withLockedValue { s -> (ViewTopic<C>, [ViewClient]) in
            let t = ViewTopic(id: s.nextChannelID, channel: channel)
            s.nextChannelID += 1
            s.topics[t.id] = t
            s.topicNames[t.id] = channel.topic
            return (t, Array(s.clients.values))
        }
        let text = FoxgloveJSON.advertise([topic.advertisement])
        for c in clients { c.sendText(text) }
        return topic
    }

    /// Withdraws a channel: its subscriptions end and clients get an unadvertise.
    public func removeChannel(id: UInt32) {
        let (topic, clients) = state.withLockedValue { s in (s.topics.removeValue(forKey: id), Array(s.clients.values)) }
        guard let topic else { return }
        let subs = topic.subscribers.exchange(SubscriberList.empty, ordering: .acquiringAndReleasing).entries
        for sub in subs {
            sub.active.store(false, ordering: .relaxed)
            sub.client.channel.eventLoop.execute { sub.client.subscriptions.removeValue(forKey: sub.subscriptionID) }
        }
        let text = FoxgloveJSON.unadvertise([id])
        for c in clients { c.sendText(text) }
    }

    /// Sends a Time frame to every client (when the configuration `sendsTime`).
    public func publishTime(_ ns: UInt64) {
        guard configuration.sendsTime else { return }
        for c in state.withLockedValue({ Array($0.clients.values) }) { c.enqueueTime(ns) }
    }

    /// Connected clients now.
    public var clientCount: Int { state.withLockedValue { $0.clients.count } }

    /// Counters of every client, connected ones first (by id), then those that left.
    public func stats() -> [ViewClientStats] {
        state.withLockedValue { s in s.clients.values.sorted { $0.id < $1.id }.map { Self.stats(of: $0, s.topicNames) } + s.departed }
    }

    /// Closes every connection (with a close frame) and the listener, and stops the event loops.
    /// Safe to call more than once.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        try? serverChannel?.close().wait()
        for c in state.withLockedValue({ Array($0.clients.values) }) { try? c.close().wait() }
        try? group.syncShutdownGracefully()
    }

    // MARK: Called by FoxgloveHandler on the client's event loop.

    func clientConnected(_ channel: Channel) -> ViewClient {
        let (client, ads) = state.withLockedValue { s -> (ViewClient, [ChannelAdvertisement]) in
            let c = ViewClient(id: s.nextClientID, channel: channel, depth: configuration.sendQueueDepth, byteLimit: configuration.sendQueueBytes)
            s.nextClientID += 1
            s.clients[c.id] = c
            return (c, s.topics.values.map(\.advertisement).sorted { $0.id < $1.id })
        }
        client.sendText(FoxgloveJSON.serverInfo(name: configuration.name, capabilities: configuration.sendsTime ? ["time"] : [],
                                                sessionID: sessionID))
        client.sendText(FoxgloveJSON.advertise(ads))
        return client
    }

    func clientDisconnected(_ client: ViewClient) {
        client.closed.store(true, ordering: .relaxed)
        for sub in client.subscriptions.values { sub.active.store(false, ordering: .relaxed) }
        state.withLockedValue { s in
            guard s.clients.removeValue(forKey: client.id) != nil else { return }
            for sub in client.subscriptions.values { Self.remove(sub, from: s.topics[sub.channelID]) }
            s.departed.append(Self.stats(of: client, s.topicNames))
        }
        client.subscriptions.removeAll()
    }

    func handle(text: String, from client: ViewClient) {
        do {
            switch try ClientRequest.parse(text) {
            case .subscribe(let subs):
                for (id, channelID) in subs { subscribe(client, id: id, channelID: channelID) }
            case .unsubscribe(let ids):
                for id in ids { unsubscribe(client, id: id) }
            }
        } catch {
            report(client, .error, "\(error)")
        }
    }

    func report(_ client: ViewClient, _ level: FoxgloveJSON.Level, _ message: String) {
        client.errorsReported.wrappingIncrement(ordering: .relaxed)
        client.sendText(FoxgloveJSON.status(level, message))
    }

    private func subscribe(_ client: ViewClient, id: UInt32, channelID: UInt32) {
        guard client.subscriptions[id] == nil else { return report(client, .error, "subscribe: subscription id \(id) is already in use") }
        if let other = client.subscriptions.values.first(where: { $0.channelID == channelID }) {
            return report(client, .error, "subscribe: channel \(channelID) is already subscribed as subscription \(other.subscriptionID)")
        }
        let sub = ViewSubscription(client: client, subscriptionID: id, channelID: channelID)
        let known = state.withLockedValue { s -> Bool in
            guard let topic = s.topics[channelID] else { return false }
            let list = topic.subscribers.load(ordering: .acquiring).entries
            topic.subscribers.store(SubscriberList(list + [sub]), ordering: .releasing)
            client.history.append(sub)
            return true
        }
        guard known else { return report(client, .error, "subscribe: unknown channel id \(channelID)") }
        client.subscriptions[id] = sub
    }

    private func unsubscribe(_ client: ViewClient, id: UInt32) {
        guard let sub = client.subscriptions.removeValue(forKey: id) else {
            return report(client, .warning, "unsubscribe: unknown subscription id \(id)")
        }
        sub.active.store(false, ordering: .relaxed)
        state.withLockedValue { s in Self.remove(sub, from: s.topics[sub.channelID]) }
    }

    /// Swaps in the topic's list without `sub` (under the state lock).
    private static func remove(_ sub: ViewSubscription, from topic: AnyViewTopic?) {
        guard let topic else { return }
        let list = topic.subscribers.load(ordering: .acquiring).entries
        topic.subscribers.store(SubscriberList(list.filter { $0 !== sub }), ordering: .releasing)
    }

    private static func stats(of c: ViewClient, _ topicNames: [UInt32: String]) -> ViewClientStats {
        ViewClientStats(clientID: c.id, remote: c.remote, subscriptions: c.history.map {
            ViewSubscriptionStats(channelID: $0.channelID, topic: topicNames[$0.channelID] ?? "?",
                                  subscriptionID: $0.subscriptionID, sent: $0.sent.load(ordering: .relaxed),
                                  dropped: $0.dropped.load(ordering: .relaxed), active: $0.active.load(ordering: .relaxed))
        }, errorsReported: c.errorsReported.load(ordering: .relaxed))
    }
}
