/// Stable LSD radix sort of `(key, value)` pairs by `key`, 11 bits per pass, using caller scratch.
///
/// Only the low `keyBits` bits of the keys are examined, so `passes = ceil(keyBits / 11)`.
/// Sorted output ends in `keys`/`values` (the scratch arrays are used as ping-pong buffers).
/// `histogram` needs room for 2048 counts. No allocation.
enum RadixSort {
    static let digitBits = 11
    static let buckets = 1 << digitBits

    static func sort(keys: UnsafeMutablePointer<UInt64>, values: UnsafeMutablePointer<UInt32>,
                     scratchKeys: UnsafeMutablePointer<UInt64>, scratchValues: UnsafeMutablePointer<UInt32>,
                     histogram: UnsafeMutablePointer<Int>, count n: Int, keyBits: Int) {
        guard n > 1, keyBits > 0 else { return }
        var srcK = keys, srcV = values, dstK = scratchKeys, dstV = scratchValues
        var shift: UInt64 = 0
        let mask = UInt64(buckets - 1)
        while Int(shift) < keyBits {
            histogram.update(repeating: 0, count: buckets)
            for i in 0..<n { histogram[Int((srcK[i] >> shift) & mask)] += 1 }
            // Skip passes where every key has the same digit (already in order for this digit).
            let first = Int((srcK[0] >> shift) & mask)
            if histogram[first] == n {
                shift += UInt64(digitBits)
                continue
            }
            var sum = 0
            for b in 0..<buckets {
                let c = histogram[b]
                histogram[b] = sum
                sum += c
            }
            for i in 0..<n {
                let k = srcK[i]
                let d = Int((k >> shift) & mask)
                let p = histogram[d]
                histogram[d] = p + 1
                dstK[p] = k
                dstV[p] = srcV[i]
            }
            swap(&srcK, &dstK)
            swap(&srcV, &dstV)
            shift += UInt64(digitBits)
        }
        if srcK != keys {
            keys.update(from: srcK, count: n)
            values.update(from: srcV, count: n)
        }
    }
}
