/// Where a node runs (graph key `isolate:`).
public enum IsolationMode: String, Sendable, Hashable, CaseIterable {
    /// In the runner's process, on the scheduler's threads (the default).
    case none
    /// In a child process (plugin nodes only), so a crash cannot take the graph down.
    case process
}
