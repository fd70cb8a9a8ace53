/// Where and how a `ViewServer` listens, and how much it buffers per client.
public struct ViewServerConfiguration: Sendable {
    /// Address to bind: loopback unless another one is chosen explicitly.
    public var host: String
    /// TCP port; 0 picks a free one (see `ViewServer.port`).
    public var port: Int
    /// Name sent in serverInfo.
    public var name: String
    /// Messages a client may have waiting to be written; the next ones are dropped (and counted).
    public var sendQueueDepth: Int
    /// Bytes a client may have waiting; a message that would exceed it is dropped (and counted).
    public var sendQueueBytes: Int
    /// Whether the server sends Time frames (`ViewServer.publishTime`), announced as capability "time".
    public var sendsTime: Bool
    /// Whether the event-loop threads run at background priority (nice 19): a graph on the
    /// same cores then always wins them, and the view takes what is left.
    public var background: Bool

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8765

    public init(host: String = defaultHost, port: Int = defaultPort, name: String = "horus", sendQueueDepth: Int = 64,
                sendQueueBytes: Int = 64 << 20, sendsTime: Bool = false, background: Bool = false) {
        self.host = host
        self.port = port
        self.name = name
        self.sendQueueDepth = sendQueueDepth
        self.sendQueueBytes = sendQueueBytes
        self.sendsTime = sendsTime
        self.background = background
    }

    /// Parses "[HOST:]PORT" ("8765", "0.0.0.0:9000"); the host defaults to loopback.
    public static func address(_ text: String) throws -> (host: String, port: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count == 2 ? String(parts[0]) : defaultHost
        guard parts.count <= 2, let port = Int(parts.last ?? ""), (0...65535).contains(port), !host.isEmpty else {
            throw ViewServerError("bad view address '\(text)': expected [HOST:]PORT, e.g. 8765 or 127.0.0.1:8765")
        }
        return (host, port)
    }
}

/// A view server failure (bind, bad address), with what was attempted.
public struct ViewServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
