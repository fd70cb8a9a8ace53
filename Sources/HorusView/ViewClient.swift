import Atomics
import NIOCore
import NIOWebSocket

/// One connected Foxglove client: its NIO channel and its bounded send queue.
///
/// The queue is a pair of atomic counters (messages and bytes handed to the client's
/// event loop and not yet written to its socket). `enqueue` reserves room with one atomic
/// add and drops the message (counted on the subscription) when there is none, so a client
/// that reads slowly or never loses messages while publishers and other clients go on.
final class ViewClient: @unchecked Sendable {
    let id: Int
    let remote: String
    let channel: Channel
    private let depth: Int
    private let byteLimit: Int
    private let pending = ManagedAtomic<Int>(0)
    private let pendingBytes = ManagedAtomic<Int>(0)
    let closed = ManagedAtomic<Bool>(false)
    let errorsReported = ManagedAtomic<Int>(0)

    /// Active subscriptions by subscription id; touched only on the client's event loop.
    var subscriptions: [UInt32: ViewSubscription] = [:]
    /// Every subscription ever made (for statistics); guarded by the server's lock.
    var history: [ViewSubscription] = []

    init(id: Int, channel: Channel, depth: Int, byteLimit: Int) {
        self.id = id
        self.channel = channel
        self.remote = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        self.depth = depth
        self.byteLimit = byteLimit
    }

    /// Reserves room in the queue for one message of `size` bytes, or counts it dropped on
    /// `sub` when there is none (one atomic add). Callable from any thread; never blocks.
    /// A reservation ends with `send` or `cancel`.
    func reserve(_ size: Int, for sub: ViewSubscription) -> Bool {
        guard reserve(size) else {
            sub.dropped.wrappingIncrement(ordering: .relaxed)
            return false
        }
        return true
    }

    /// Gives back a reservation whose message will not be sent (it failed to encode).
    func cancel(_ size: Int) { release(size) }

    /// Hands one encoded message, for which `reserve` succeeded, to the client's event loop.
    func send(_ payload: ByteBuffer, for sub: ViewSubscription, receiveTimeNs: UInt64) {
        let size = payload.readableBytes
        channel.eventLoop.execute { [self] in
            guard !closed.load(ordering: .relaxed), sub.active.load(ordering: .relaxed) else { release(size); return }
            let header = FoxgloveWire.messageDataHeader(channel.allocator, subscriptionID: sub.subscriptionID, receiveTimeNs: receiveTimeNs)
            // The per-client 13-byte header goes in the frame's extension-data slot, which the
            // encoder writes right before the application data: the payload buffer is shared by
            // every client, never copied. No extension is negotiated, so the client reads the
            // concatenation as the frame's payload.
            let frame = WebSocketFrame(fin: true, opcode: .binary, data: payload, extensionData: header)
            channel.writeAndFlush(frame).whenComplete { [self] result in
                release(size)
                if case .success = result { sub.sent.wrappingIncrement(ordering: .relaxed) }
            }
        }
    }

    /// A Time frame, through the same bounded queue (dropped silently when full).
    func enqueueTime(_ ns: UInt64) {
        guard reserve(FoxgloveWire.timeFrameSize) else { return }
        channel.eventLoop.execute { [self] in
            guard !closed.load(ordering: .relaxed) else { release(FoxgloveWire.timeFrameSize); return }
            var b = channel.allocator.buffer(capacity: FoxgloveWire.timeFrameSize)
            FoxgloveWire.writeTime(into: &b, ns)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: b)).whenComplete { [self] _ in
                release(FoxgloveWire.timeFrameSize)
            }
        }
    }

    /// Sends a JSON text message (control traffic: not bounded, not dropped). On the event
    /// loop it is written at once, so serverInfo and the first advertise precede anything
    /// another thread queues meanwhile.
    func sendText(_ text: String) {
        let write = { [self] in
            guard !closed.load(ordering: .relaxed) else { return }
            var b = channel.allocator.buffer(capacity: text.utf8.count)
            b.writeString(text)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: b), promise: nil)
        }
        if channel.eventLoop.inEventLoop { write() } else { channel.eventLoop.execute(write) }
    }

    /// Sends a close frame (1001, going away) and closes: the frame goes out if the socket
    /// takes it now, a stalled client just sees the connection end.
    func close() -> EventLoopFuture<Void> {
        channel.eventLoop.submit { [self] in
            var b = channel.allocator.buffer(capacity: 2)
            b.write(webSocketErrorCode: .goingAway)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: b), promise: nil)
            channel.close(promise: nil)
        }
    }

    private func reserve(_ bytes: Int) -> Bool {
        if closed.load(ordering: .relaxed) { return false }
        let n = pending.loadThenWrappingIncrement(ordering: .relaxed)
        let b = pendingBytes.loadThenWrappingIncrement(by: bytes, ordering: .relaxed)
        if n >= depth || (b > 0 && b + bytes > byteLimit) {
            release(bytes)
            return false
        }
        return true
    }

    private func release(_ bytes: Int) {
        pending.wrappingDecrement(ordering: .relaxed)
        pendingBytes.wrappingDecrement(by: bytes, ordering: .relaxed)
    }
}
