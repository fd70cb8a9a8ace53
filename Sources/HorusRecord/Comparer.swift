import HorusMessages
import Foundation
import HorusGraph
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

/// Compares two recordings topic by topic: message counts, then each pair of messages
/// (in order): horus records by header (kind, dtype, shape, encoding, frame id) and
/// payload, floating-point elements within `tolerance`, integer elements exactly; plain
/// structs field by field from their schema (float fields within `tolerance`).
public enum Comparer {
    public struct TopicResult: Sendable, Equatable {
        public var topic: String
        public var expectedCount: Int
        public var actualCount: Int
        public var mismatchedMessages: Int
        /// Largest absolute difference seen in float data.
        public var maxAbsDifference: Double
        /// The first problem, if any.
        public var firstProblem: String?
        public var matches: Bool { expectedCount == actualCount && mismatchedMessages == 0 && firstProblem == nil }
    }

    public struct Report: Sendable {
        public var topics: [TopicResult]
        public var matches: Bool { topics.allSatisfy(\.matches) }

        public var formatted: String {
            var lines = ["topic                          expected  actual  mismatched  max|diff|  result"]
            for t in topics {
                let name = t.topic.padding(toLength: max(30, t.topic.count), withPad: " ", startingAt: 0)
                lines.append("\(name) \(String(t.expectedCount).leftPad(8))  \(String(t.actualCount).leftPad(6))  \(String(t.mismatchedMessages).leftPad(10))  \(String(format: "%9.3g", t.maxAbsDifference))  \(t.matches ? "match" : "DIFFER")" + (t.firstProblem.map { "  (\($0))" } ?? ""))
            }
            lines.append(matches ? "recordings match" : "recordings differ")
            return lines.joined(separator: "\n")
        }
    }

    /// Compares `actual` against `expected` (the golden file). `topics` limits the topics
    /// compared (default: every topic of the golden file).
    public static func compare(expected: String, actual: String, tolerance: Double = 0, topics: [String]? = nil) throws -> Report {
        let a = try load(expected), b = try load(actual)
        let names = topics ?? a.keys.sorted()
        var results: [TopicResult] = []
        for name in names {
            let ea = a[name] ?? ([], nil), eb = b[name] ?? ([], nil)
            var r = TopicResult(topic: name, expectedCount: ea.0.count, actualCount: eb.0.count, mismatchedMessages: 0, maxAbsDifference: 0)
            if b[name] == nil { r.firstProblem = "topic missing from the compared recording" }
            for i in 0..<min(ea.0.count, eb.0.count) {
                if let problem = compareMessage(ea.0[i], eb.0[i], schema: ea.1, tolerance: tolerance, maxDiff: &r.maxAbsDifference) {
                    r.mismatchedMessages += 1
                    if r.firstProblem == nil { r.firstProblem = "message \(i): \(problem)" }
                }
            }
            if ea.0.count != eb.0.count && r.firstProblem == nil { r.firstProblem = "\(ea.0.count) messages expected, \(eb.0.count) found" }
            results.append(r)
        }
        return Report(topics: results)
    }

    static func load(_ path: String) throws -> [String: ([[UInt8]], MCAPSchema?)] {
        let source = try RecordingSource(path: path)
        let reader = source.reader
        var out: [String: ([[UInt8]], MCAPSchema?)] = [:]
        // CDR channels are compared in their horus form (decoded, then as header + payload),
        // so that tolerances apply element by element to both encodings.
        var cdr: [UInt16: [MessageCodecs]] = [:]
        for c in source.channels {
            let ch = reader.channels[c.id]!
            var schema = reader.schemas[ch.schemaID]
            if c.messageEncoding == "cdr", !c.typeNames.isEmpty {
                let preferred = ch.metadata["horus_type"].flatMap { c.typeNames.contains($0) ? [$0] : nil } ?? c.typeNames
                let codecs = preferred.compactMap { MessageCodecRegistry.shared.codecs($0) }
                cdr[c.id] = codecs
                if let first = codecs.first {
                    schema = MCAPSchema(id: ch.schemaID, name: "horus.\(first.typeName)", encoding: RecordFormat.schemaEncoding,
                                        data: Array(first.horus.schema.utf8))
                }
            }
            out[ch.topic] = ([], schema)
        }
        let pool = cdr.isEmpty ? nil : try HorusRecordBytes.decodingPool("compare")
        var byTime: [String: [(UInt64, Int, [UInt8])]] = [:]
        var n = 0
        try reader.forEachMessage { m in
            guard let ch = reader.channels[m.channelID] else { return }
            var bytes = Array(m.data)
            if let codecs = cdr[m.channelID], let pool {
                if let record = try? HorusRecordBytes.fromCDR(m.data, codecs: codecs, pool: pool) { bytes = record }
            }
            byTime[ch.topic, default: []].append((m.logTime, n, bytes))
            n += 1
        }
        for (topic, msgs) in byTime {
            out[topic]!.0 = msgs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
        return out
    }

    static func compareMessage(_ x: [UInt8], _ y: [UInt8], schema: MCAPSchema?, tolerance: Double, maxDiff: inout Double) -> String? {
        if x == y { return nil }
        return x.withUnsafeBytes { xb in
            y.withUnsafeBytes { yb in
                if let hx = try? RecordFormat.Header.decode(xb) {
                    guard let hy = try? RecordFormat.Header.decode(yb) else { return "not a horus record" }
                    if hx.kind != hy.kind || hx.dtype != hy.dtype || hx.shape != hy.shape || hx.encoding != hy.encoding {
                        return "header differs (\(hx.dtype)\(hx.shape) vs \(hy.dtype)\(hy.shape))"
                    }
                    if hx.frameID != hy.frameID { return "frame id '\(hx.frameID)' vs '\(hy.frameID)'" }
                    if hx.meta != hy.meta { return "type metadata differs" }
                    let px = UnsafeRawBufferPointer(rebasing: xb[RecordFormat.headerSize..<(RecordFormat.headerSize + hx.payloadBytes)])
                    let py = UnsafeRawBufferPointer(rebasing: yb[RecordFormat.headerSize..<(RecordFormat.headerSize + hy.payloadBytes)])
                    return compareElements(px, py, dtype: hx.dtype, count: hx.payloadBytes / max(1, hx.dtype.size), offset: 0, stride: hx.dtype.size,
                                           tolerance: tolerance, maxDiff: &maxDiff)
                }
                guard x.count == y.count else { return "sizes \(x.count) and \(y.count) differ" }
                // Plain struct: field by field from the schema.
                if let schema, let fields = plainFields(schema) {
                    for f in fields {
                        if let p = compareElements(xb, yb, dtype: f.dtype, count: 1, offset: f.offset, stride: 0, tolerance: tolerance, maxDiff: &maxDiff) {
                            return "field \(f.name): \(p)"
                        }
                    }
                    return nil
                }
                return "bytes differ"
            }
        }
    }

    static func plainFields(_ schema: MCAPSchema) -> [(name: String, offset: Int, dtype: DType)]? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(schema.data)) as? [String: Any],
              let fields = obj["fields"] as? [[String: Any]] else { return nil }
        return fields.compactMap { f in
            guard let n = f["name"] as? String, let o = f["offset"] as? Int, let d = (f["dtype"] as? String).flatMap(DType.init(name:)) else { return nil }
            return (n, o, d)
        }
    }

    static func compareElements(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer, dtype: DType, count: Int, offset: Int, stride: Int,
                                tolerance: Double, maxDiff: inout Double) -> String? {
        func value(_ b: UnsafeRawBufferPointer, _ o: Int) -> Double {
            switch dtype {
            case .float32: return Double(b.loadUnaligned(fromByteOffset: o, as: Float.self))
            case .float64: return b.loadUnaligned(fromByteOffset: o, as: Double.self)
            case .float16: return Double(Float(Float16(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))))
            default: return 0
            }
        }
        if !dtype.isFloatingPoint {
            let n = count * dtype.size
            if memcmp(x.baseAddress! + offset, y.baseAddress! + offset, n) != 0 {
                for i in 0..<n where x[offset + i] != y[offset + i] { return "integer data differs at byte \(i)" }
            }
            return nil
        }
        var bad: String?
        for i in 0..<count {
            let o = offset + i * stride
            let a = value(x, o), b = value(y, o)
            if a.isNaN && b.isNaN { continue }
            let d = abs(a - b)
            if d.isNaN || d > tolerance {
                if !d.isNaN { maxDiff = max(maxDiff, d) }
                if bad == nil { bad = "element \(i): \(a) vs \(b)" }
            } else {
                maxDiff = max(maxDiff, d)
            }
        }
        return bad
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
