/// The keys the graph format accepts at each level (used for unknown-key diagnostics and docs).
public enum GraphKeys {
    /// Keys allowed at the top level.
    public static let topLevel = ["graph", "nodes", "topics", "record", "outputs", "bridge"]
    /// Keys allowed in a node entry.
    public static let node = ["name", "type", "plugin", "rate", "trigger", "isolate", "restart",
                              "params", "inputs", "outputs", "max_held"]
    /// Keys allowed in a `restart:` mapping.
    public static let restart = ["policy", "max_restarts", "backoff_ms"]
    /// Keys allowed in a `topics:` entry.
    public static let topic = ["type", "capacity", "history", "external", "exclusive"]
    /// Keys allowed in the `record:` section.
    public static let record = ["output", "topics"]
    /// Keys allowed in the `bridge:` section.
    public static let bridge = ["domain", "export", "import"]
    /// Keys allowed in a `bridge.export` entry.
    public static let bridgeExport = ["topic", "qos"]
    /// Keys allowed in a `bridge.import` entry.
    public static let bridgeImport = ["topic", "type", "qos"]
    /// Keys allowed in a bridged topic's `qos:`.
    public static let bridgeQoS = ["reliability", "depth", "rate_limit_hz"]
}
