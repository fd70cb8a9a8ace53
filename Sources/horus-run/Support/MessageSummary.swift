import Foundation
import HorusMemory

/// One-line descriptions of messages for `echo` (never the payload itself).
enum MessageSummary {
    static func time(_ ns: UInt64) -> String {
        String(format: "%.6f", Double(ns) / 1e9)
    }

    static func frame(_ id: String) -> String { id.isEmpty ? "-" : id }

    static func mean(_ t: Tensor, limit: Int = 50_000_000) -> String {
        guard t.count > 0, t.count <= limit else { return "-" }
        var sum = 0.0
        t.forEachElement { sum += $0 }
        return Fmt.num(sum / Double(t.count))
    }

    static func image(_ m: Image) -> String {
        "Image \(m.height)x\(m.width) \(m.encoding) frame=\(frame(m.frameID)) t=\(time(m.timestampNs)) bytes=\(m.nbytes) mean=\(mean(m.asTensor()))"
    }

    static func depth(_ m: DepthImage) -> String {
        let s = m.statistics()
        return "DepthImage \(m.height)x\(m.width) \(m.unit) frame=\(frame(m.frameID)) t=\(time(m.timestampNs)) valid=\(s.validCount) min=\(Fmt.num(Double(s.min))) max=\(Fmt.num(Double(s.max))) mean=\(Fmt.num(Double(s.mean)))"
    }

    static func cloud(_ m: PointCloud) -> String {
        "PointCloud \(m.count) points \(m.format) frame=\(frame(m.frameID)) t=\(time(m.timestampNs)) bytes=\(m.nbytes)"
    }

    static func tensor(_ m: Tensor) -> String {
        "Tensor \(Array(m.shape).map(String.init).joined(separator: "x")) \(m.dtype) bytes=\(m.nbytes) mean=\(mean(m))"
    }

    /// Plain structs: size and hex (truncated after 64 bytes).
    static func plain(type: String, _ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(64).map { String(format: "%02x", $0) }.joined()
        return "\(type) \(bytes.count) bytes \(shown)\(bytes.count > 64 ? "..." : "")"
    }
}
