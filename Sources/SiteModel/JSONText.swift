/// Writes JSON by hand so that key order is fixed (deterministic output) and text is safe inside an HTML
/// `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are written as `\u` escapes, so a value can never
/// close the script.
public enum JSONText {
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An object from ordered pairs whose values are already JSON; nil values are left out.
    public static func object(_ pairs: [(String, String?)], indent: String? = nil) -> String {
        let members = pairs.compactMap { key, value in value.map { string(key) + (indent == nil ? ":" : ": ") + $0 } }
        guard let indent else { return "{" + members.joined(separator: ",") + "}" }
        if members.isEmpty { return "{}" }
        let inner = indent + "  "
        return "{\n" + members.map { inner + $0.replacingNewlines(with: "\n" + inner) }.joined(separator: ",\n") + "\n" + indent + "}"
    }

    public static func array(_ items: [String], indent: String? = nil) -> String {
        guard let indent, !items.isEmpty else { return "[" + items.joined(separator: ",") + "]" }
        let inner = indent + "  "
        return "[\n" + items.map { inner + $0.replacingNewlines(with: "\n" + inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    }
}

extension String {
    fileprivate func replacingNewlines(with text: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: text)
    }
}
