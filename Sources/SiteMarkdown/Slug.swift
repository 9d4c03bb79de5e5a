/// Turns text into URL- and id-friendly slugs.
public enum Slug {
    /// Lowercases letters and digits of any script (so Chinese headings keep their characters and stay
    /// stable), joins words with `-`, and drops punctuation. Empty results become `section`.
    public static func make(_ text: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
                || p.generalCategory == .spacingMark {
                if pendingDash && !slug.isEmpty { slug += "-" }
                pendingDash = false
                slug += String(scalar).lowercased()
            } else if scalar == "_" || p.generalCategory == .dashPunctuation || p.isWhitespace {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "section" : slug
    }
}

/// Hands out unique slugs: the second "Overview" becomes `overview-2`.
public struct SlugRegistry: Sendable {
    private var used: Set<String> = []

    public init() {}

    public mutating func unique(for text: String) -> String {
        let base = Slug.make(text)
        var candidate = base
        var n = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }
}
