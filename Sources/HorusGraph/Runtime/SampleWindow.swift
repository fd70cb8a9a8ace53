import Foundation
import HorusSystem

/// The last N samples of a measurement (tick time, latency) with percentiles.
/// Written by one thread at a time (a node's own ticks); read under the same lock.
public final class SampleWindow: @unchecked Sendable {
    private var values: [UInt64]
    private var next = 0
    public private(set) var total: UInt64 = 0
    private let lock = Mutex()

    public init(capacity: Int) { values = []; values.reserveCapacity(capacity); self.capacity = capacity }
    private let capacity: Int

    public func add(_ v: UInt64) {
        lock.lock()
        if values.count < capacity { values.append(v) } else { values[next] = v; next = (next + 1) % capacity }
        total &+= 1
        lock.unlock()
    }

    /// Percentile (0...100) of the window, 0 when empty.
    public func percentile(_ p: Double) -> UInt64 {
        lock.lock()
        let sorted = values.sorted()
        lock.unlock()
        guard !sorted.isEmpty else { return 0 }
        let i = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[Swift.min(Swift.max(i, 0), sorted.count - 1)]
    }

    public var isEmpty: Bool { lock.withLock { values.isEmpty } }
}
