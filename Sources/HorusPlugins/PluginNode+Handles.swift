import HorusGraph

/// Handles a plugin node holds, counted against its `max_held` (the graph's cap on messages
/// one node may keep across ticks, so a node that forgets `release` fails by name instead of
/// starving the pool for everyone).
extension PluginNode {
    /// Stores `message` under a new handle, or nil (with `lastError` naming the node and the
    /// cap) when the node already holds `max_held` messages.
    func hold(_ message: HeldMessage) -> UInt64? {
        let limit = min(context?.heldMessages.limit ?? HeldMessageCensus.defaultMaxHeld, HandleTable.limit)
        guard handles.count < limit, let handle = handles.insert(message) else {
            let name = context?.nodeName ?? spec.name
            lastError = "node '\(name)' holds \(handles.count) messages (max_held: \(limit)): release handles it no longer needs, or raise 'max_held' for this node in the graph"
            return nil
        }
        context?.heldMessages.add(1)
        return handle
    }

    /// Releases `handle`; false for an unknown one.
    func drop(_ handle: UInt64) -> Bool {
        guard handles.remove(handle) else { return false }
        context?.heldMessages.add(-1)
        return true
    }
}
