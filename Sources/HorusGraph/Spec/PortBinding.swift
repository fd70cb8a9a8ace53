/// One `port: /topic` entry under a node's `inputs:` or `outputs:`.
public struct PortBinding: Sendable, Hashable {
    /// Port name and the location of the key.
    public var port: Located<String>
    /// Topic name and the location of the value.
    public var topic: Located<String>

    /// Creates a binding.
    public init(port: Located<String>, topic: Located<String>) {
        self.port = port
        self.topic = topic
    }
}
