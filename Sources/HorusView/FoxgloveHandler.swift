import NIOHTTP1
import NIOCore
import NIOWebSocket

/// The per-connection handler after the WebSocket upgrade: registers the client, turns
/// its text frames into requests, answers pings and closes, and unregisters on close.
final class FoxgloveHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let server: ViewServer
    private var client: ViewClient?
    private var closing = false

    init(server: ViewServer) { self.server = server }

    func handlerAdded(context: ChannelHandlerContext) {
        client = server.clientConnected(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let client { server.clientDisconnected(client) }
        client = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let client else { return }
        switch frame.opcode {
        case .text:
            var d = frame.unmaskedData
            let text = d.readString(length: d.readableBytes) ?? ""
            server.handle(text: text, from: client)
        case .binary:
            server.report(client, .error, "binary client messages (clientPublish, service calls) are not supported by this server")
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            guard !closing else { context.close(promise: nil); return }
            closing = true
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.write(webSocketErrorCode: .normalClosure)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply))).whenComplete { _ in
                context.close(promise: nil)
            }
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

/// Answers plain HTTP requests (no WebSocket upgrade with the Foxglove subprotocol) with
/// 400 and a hint, then closes.
final class HTTPRefusalHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let body = "This is a Foxglove WebSocket server: connect with subprotocol \(FoxgloveWire.subprotocol).\n"
        var buf = context.channel.allocator.buffer(capacity: body.utf8.count)
        buf.writeString(body)
        let head = HTTPResponseHead(version: .http1_1, status: .badRequest,
                                    headers: HTTPHeaders([("Content-Type", "text/plain"), ("Content-Length", "\(body.utf8.count)"), ("Connection", "close")]))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
