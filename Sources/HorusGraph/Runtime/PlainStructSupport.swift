import HorusTopics

/// Moving a plain struct message type by its bytes, for adapters that only know its name and
/// size (plugins: ABI 1.1 `take_struct` / `publish_struct`). Registered per type with
/// `MessageTypeCatalog.registerPlainStruct`.
public struct PlainStructSupport: Sendable {
    /// `MemoryLayout<M>.size`: what both ends of a topic must agree on.
    public let size: Int
    /// Copies the next (or newest) message of `port` into `out` (`size` bytes); false if none.
    public let take: @Sendable (_ port: AnyInputPort, _ latest: Bool, _ out: UnsafeMutableRawPointer) -> Bool
    /// Publishes the `size` bytes at `bytes` on `port`.
    public let publish: @Sendable (_ port: AnyOutputPort, _ bytes: UnsafeRawPointer) throws -> Void

    init<M: PlainMessage>(_: M.Type) {
        size = MemoryLayout<M>.size
        take = { port, latest, out in
            guard let p = port as? InputPort<M>, let m = latest ? p.latest() : p.next() else { return false }
            out.storeBytes(of: m, as: M.self)
            return true
        }
        publish = { port, bytes in
            guard let p = port as? OutputPort<M> else {
                throw NodeError(node: "plugin", phase: "publish", message: "port '\(port.name)' does not carry \(M.topicTypeName)")
            }
            try p.publish(bytes.loadUnaligned(as: M.self))
        }
    }
}

extension MessageTypeCatalog {
    /// Makes the plain struct `M` usable in graphs and by plugins (ABI 1.1 struct messages)
    /// under `M.topicTypeName`.
    public func registerPlainStruct<M: PlainMessage>(_: M.Type) {
        register(M.self)
        setPlainStruct(M.topicTypeName, PlainStructSupport(M.self))
    }
}
