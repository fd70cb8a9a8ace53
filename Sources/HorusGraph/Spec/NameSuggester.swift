/// Finds the nearest known name to a misspelled one, using the optimal-string-alignment
/// (restricted Damerau–Levenshtein) distance, so `leaf_sise`→`leaf_size` and `ouptuts`→`outputs`.
public enum NameSuggester {
    /// Edit distance counting insertions, deletions, substitutions and adjacent transpositions.
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var d = Array(repeating: Array(repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[s.count][t.count]
    }

    /// The candidate nearest to `name` if it is within a typo-sized distance
    /// (at most a third of the longer name, minimum 1; case differences count as 0 when
    /// nothing closer exists). Ties go to the earlier candidate.
    public static func suggest<S: Sequence>(_ name: String, from candidates: S) -> String? where S.Element == String {
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let limit = max(1, max(name.count, candidate.count) / 3)
            // The distance is at least the length difference: skip the table for far-off names.
            guard abs(name.count - candidate.count) <= limit else { continue }
            let d = candidate.lowercased() == name.lowercased() ? 0 : distance(name, candidate)
            guard d <= limit else { continue }
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        return best?.name
    }

    /// `; did you mean 'x'?` or the empty string.
    public static func didYouMean<S: Sequence>(_ name: String, from candidates: S) -> String where S.Element == String {
        suggest(name, from: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
