/// `--key value` / `--flag` options of one probe command, with clear errors.
struct Options {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ args: ArraySlice<String>) throws {
        var it = args.makeIterator()
        while let a = it.next() {
            guard a.hasPrefix("--") else { throw ProbeError("unexpected argument \(a)") }
            let key = String(a.dropFirst(2))
            if ["best-effort", "print-seq"].contains(key) { flags.insert(key); continue }
            guard let v = it.next() else { throw ProbeError("--\(key) needs a value") }
            values[key] = v
        }
    }

    func string(_ key: String, _ fallback: String? = nil) throws -> String {
        if let v = values[key] ?? fallback { return v }
        throw ProbeError("missing --\(key)")
    }

    func int(_ key: String, _ fallback: Int? = nil) throws -> Int {
        guard let s = values[key] else {
            if let fallback { return fallback }
            throw ProbeError("missing --\(key)")
        }
        guard let v = Int(s) else { throw ProbeError("--\(key): \(s) is not an integer") }
        return v
    }

    func flag(_ key: String) -> Bool { flags.contains(key) }
}

/// A usage or runtime failure of the probe (printed as one line, exit 2).
struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
