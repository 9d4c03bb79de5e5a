/// The nearest valid name to a mistyped one, for "did you mean …?" in every message that looks a name up.
public enum Suggestion {
    /// The candidate closest to `name` when it is close enough to be a typo of it: the same letters in another
    /// case, or an edit distance (insertions, deletions, substitutions, swaps of neighbours) of at most a third
    /// of the name's length (one edit for short names). Ties go to the earlier candidate.
    public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let lowered = Array(candidate.lowercased())
            if lowered == target { return candidate }
            let limit = max(1, min(target.count, lowered.count) / 3)
            guard abs(lowered.count - target.count) <= limit else { continue }
            let distance = editDistance(target, lowered, limit: limit)
            // Nearer first; between equals, the one whose length is nearer (`pagse` → `pages`, not `page`).
            let rank = distance * 100 + abs(lowered.count - target.count)
            // One edit of a one-letter name leaves nothing in common: no suggestion (`x` is not a typo of `m`).
            if distance <= limit, distance < min(target.count, lowered.count), rank < (best?.distance ?? .max) { best = (candidate, rank) }
        }
        if best == nil, target.count >= 3 {
            // A name cut short: `unsafe` for `unsafe_html`.
            best = candidates.first { $0.lowercased().hasPrefix(name.lowercased()) }.map { ($0, 0) }
        }
        return best?.name
    }

    /// `; did you mean 'x'?` when a candidate is near `name`, else `otherwise` (often the list of valid names).
    public static func didYouMean(_ name: String, in candidates: some Sequence<String>, otherwise: String = "") -> String {
        nearest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? otherwise
    }

    /// Optimal string alignment distance, giving up (returning `limit + 1`) once it exceeds `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previousRow = Array(0...b.count)
        var beforePrevious = previousRow
        var row = previousRow
        for i in 1...a.count {
            row[0] = i
            var smallest = row[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], beforePrevious[j - 2] + 1)
                }
                smallest = min(smallest, row[j])
            }
            if smallest > limit { return limit + 1 }
            beforePrevious = previousRow
            previousRow = row
        }
        return previousRow[b.count]
    }
}
