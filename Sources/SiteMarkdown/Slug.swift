/// Turns text into URL- and id-friendly slugs.
public enum Slug {
    /// Lowercases letters and digits of any script (so Chinese headings keep their characters and stay
    /// stable), joins words with `-`, and drops punctuation. Empty results become `section`.
    public static func make(_ text: String) -> String {
        var slug: [UInt8] = []
        slug.reserveCapacity(text.utf8.count)
        var pendingDash = false
        func appendWord(_ bytes: some Sequence<UInt8>) {
            if pendingDash && !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
            pendingDash = false
            slug.append(contentsOf: bytes)
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                // The same rules for ASCII without looking up Unicode properties (most headings are ASCII).
                let byte = UInt8(scalar.value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): appendWord(CollectionOfOne(byte))
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): appendWord(CollectionOfOne(byte | 0x20))
                case UInt8(ascii: "_"), UInt8(ascii: "-"), 0x09...0x0D, 0x20: pendingDash = true
                default: break
                }
                continue
            }
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
                || p.generalCategory == .spacingMark {
                appendWord(String(scalar).lowercased().utf8)
            } else if p.generalCategory == .dashPunctuation || p.isWhitespace {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "section" : String(decoding: slug, as: UTF8.self)
    }
}

/// Hands out unique slugs: the second "Overview" becomes `overview-2`.
public struct SlugRegistry: Sendable {
    private var used: Set<String> = []
    /// The next number to try for each slug that was taken, so that 20,000 identical headings cost 20,000
    /// steps, not 200 million.
    private var next: [String: Int] = [:]

    public init() {}

    public mutating func unique(for text: String) -> String {
        let base = Slug.make(text)
        var candidate = base
        var n = next[base] ?? 2
        while used.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        if candidate != base { next[base] = n }
        used.insert(candidate)
        return candidate
    }
}
