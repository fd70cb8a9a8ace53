/// Why a descriptor was refused. Each case names the field and the offending value.
public enum DescriptorError: Error, CustomStringConvertible, Equatable {
    /// A field holds a value that cannot be valid (unknown code, out of range, overflow).
    case invalidField(field: String, value: String, reason: String)
    /// The descriptor names a pool this process has not attached.
    case unknownPool(id: UInt32)
    /// The slot was freed, or freed and reused: its generation no longer matches.
    case staleGeneration(pool: String, slot: UInt32, expected: UInt32, current: UInt32)
    /// The descriptor is of another message kind than the one asked for.
    case wrongKind(expected: MessageKind, found: String)

    public var description: String {
        switch self {
        case let .invalidField(field, value, reason):
            return "invalid descriptor: \(field) = \(value): \(reason)"
        case let .unknownPool(id):
            return "invalid descriptor: pool_id = 0x\(String(id, radix: 16)): no such pool is attached in this process"
        case let .staleGeneration(pool, slot, expected, current):
            return "stale descriptor: pool '\(pool)' slot \(slot) has generation \(current), descriptor has \(expected) (the sample was freed or recycled)"
        case let .wrongKind(expected, found):
            return "descriptor is a \(found), expected \(expected)"
        }
    }
}
