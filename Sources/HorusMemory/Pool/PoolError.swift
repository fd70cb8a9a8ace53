/// Why a pool operation failed. Every case names the pool.
public enum PoolError: Error, CustomStringConvertible, Equatable {
    /// No free slot can hold the request.
    case exhausted(pool: String, requested: Int, slotSize: Int, inUse: Int, capacity: Int)
    /// The request is larger than the largest size class.
    case tooLarge(pool: String, requested: Int, largest: Int)
    /// The pool's configuration is not usable.
    case invalidConfiguration(pool: String, reason: String)
    /// The segment exists but is not a horus pool of this layout (or is damaged).
    case incompatible(pool: String, reason: String)
    /// The pool's shared metadata is damaged (written by a broken or hostile process).
    case damaged(pool: String, reason: String)
    /// Every process-table entry is taken.
    case tooManyProcesses(pool: String, capacity: Int)
    /// No pool with this id is attached in this process.
    case unknownPool(id: UInt32)
    /// `close()` while this process still holds references on the pool's slots.
    case inUse(pool: String, references: Int)
    /// A POSIX call failed.
    case system(SystemError)

    public var description: String {
        switch self {
        case let .exhausted(pool, requested, slotSize, inUse, capacity):
            return "pool '\(pool)' exhausted: no free slot for \(requested) bytes (size class \(slotSize) B: \(inUse) of \(capacity) slots in use, no larger class free)"
        case let .tooLarge(pool, requested, largest):
            return "pool '\(pool)': \(requested) bytes is larger than its largest slot (\(largest) B)"
        case let .invalidConfiguration(pool, reason):
            return "pool '\(pool)': invalid configuration: \(reason)"
        case let .incompatible(pool, reason):
            return "pool '\(pool)': not a usable horus pool: \(reason)"
        case let .damaged(pool, reason):
            return "pool '\(pool)': shared metadata damaged: \(reason)"
        case let .tooManyProcesses(pool, capacity):
            return "pool '\(pool)': all \(capacity) process entries are in use by live processes"
        case let .unknownPool(id):
            return "no pool with id 0x\(String(id, radix: 16)) is attached in this process"
        case let .inUse(pool, references):
            return "pool '\(pool)': cannot close it while this process holds \(references) reference\(references == 1 ? "" : "s") on its slots"
        case let .system(e):
            return e.description
        }
    }
}
