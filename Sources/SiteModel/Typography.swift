/// Smart punctuation for text outside Markdown (front matter titles and descriptions, `site.yaml` titles,
/// data values), by the rules cmark's smart option applies to Markdown, so that "SJTUSM's" in a title and
/// "SJTUSM's" in the body come out alike: straight quotes become curly (opening after a space, an opening
/// bracket or a dash, or at the start; closing otherwise, which makes an apostrophe), `--` an en dash,
/// `---` an em dash, `...` an ellipsis.
public enum Typography {
    /// Whether `text` has a straight quote, `--` or `...` (a lone `-` or `.` stays as it is).
    static func needsChange(_ text: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x22 || byte == 0x27 { return true }
            if byte == 0x2D, previous == 0x2D { return true }
            if byte == 0x2E, previous == 0x2E, beforePrevious == 0x2E { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    public static func smart(_ text: String) -> String {
        // Most text has nothing to change: leave it as it is (and its storage shared).
        guard needsChange(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func opens(after previous: Unicode.Scalar?) -> Bool {
            guard let previous else { return true }
            return previous.properties.isWhitespace || "([{-\u{2013}\u{2014}/\u{201C}\u{2018}".unicodeScalars.contains(previous)
        }
        var previous: Unicode.Scalar?
        while index < scalars.count {
            let scalar = scalars[index]
            var out: String
            switch scalar {
            case "\"":
                out = opens(after: previous) ? "\u{201C}" : "\u{201D}"
            case "'":
                out = opens(after: previous) ? "\u{2018}" : "\u{2019}"
            case "-" where index + 1 < scalars.count && scalars[index + 1] == "-":
                if index + 2 < scalars.count && scalars[index + 2] == "-" {
                    out = "\u{2014}"
                    index += 2
                } else {
                    out = "\u{2013}"
                    index += 1
                }
            case "." where index + 2 < scalars.count && scalars[index + 1] == "." && scalars[index + 2] == ".":
                out = "\u{2026}"
                index += 2
            default:
                out = String(scalar)
            }
            result += out
            previous = out.unicodeScalars.last
            index += 1
        }
        return result
    }
}
