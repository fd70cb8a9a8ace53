/// The messages of a process-local topic, one per ring entry. The ring's private
/// memory holds each entry's commit word and a spin lock (offset 8) that guards the
/// value here: a message holds references (a slot, strings), so readers copy it under
/// the lock rather than with a seqlock retry.
final class LocalEntries<M: TopicMessage>: @unchecked Sendable {
    let values: UnsafeMutablePointer<M?>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        values = .allocate(capacity: capacity)
        values.initialize(repeating: nil, count: capacity)
    }

    deinit {
        values.deinitialize(count: capacity)
        values.deallocate()
    }
}
