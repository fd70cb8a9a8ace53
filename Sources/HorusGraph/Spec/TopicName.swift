import HorusSystem

/// Rules for topic names: absolute, slash-separated segments of `[A-Za-z0-9_.-]`,
/// e.g. `/camera/depth`; no empty segments or trailing slash; at most
/// `GraphLimits.topicNameBytes()` bytes.
public enum TopicName {
    private static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")

    /// Why `name` is not a valid topic name, or nil if it is; `limit` is the longest name in bytes
    /// (`GraphLimits.topicNameBytes()` when nil: it reads the environment, so callers checking many
    /// names pass it once).
    public static func problem(with name: String, limit: Int? = nil) -> String? {
        if let limit, isPlainValid(name, limit: limit) { return nil }  // one pass over the bytes
        guard name.hasPrefix("/") else { return "topic name '\(name)' must start with '/' (e.g. '/\(name)')" }
        let segments = name.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if name == "/" || segments.contains(where: \.isEmpty) {
            return "topic name '\(name)' has an empty segment (no '//' or trailing '/')"
        }
        let limit = limit ?? GraphLimits.topicNameBytes()
        if name.utf8.count > limit {
            return "topic name '\(name.prefix(40))...' is \(name.utf8.count) bytes; at most \(limit) fit (the ring header holds 127 bytes and the segment '/horus-\(HorusNamespace.current)-topic-<name>' must fit a 255-byte file name)"
        }
        if let bad = name.first(where: { $0 != "/" && !allowed.contains($0) }) {
            return "topic name '\(name)' contains '\(bad)'; use letters, digits, '_', '-', '.' and '/'"
        }
        return nil
    }

    /// `/seg/seg` of `[A-Za-z0-9_.-]` segments within `limit` bytes, checked byte by byte.
    private static func isPlainValid(_ name: String, limit: Int) -> Bool {
        var previous: UInt8 = 0
        var count = 0
        for b in name.utf8 {
            count += 1
            let slash = b == UInt8(ascii: "/")
            if count == 1 && !slash { return false }
            if slash && previous == UInt8(ascii: "/") { return false }
            let ok = slash || (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
            if !ok { return false }
            previous = b
        }
        return count >= 2 && previous != UInt8(ascii: "/") && count <= limit
    }
}
