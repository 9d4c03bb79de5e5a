/// Writes JSON by hand so that key order is fixed (deterministic output) and text is safe inside an HTML
/// `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are written as `\u` escapes, so a value can never
/// close the script.
public enum JSONText {
    public static func string(_ text: String) -> String {
        // Most text (paths, names) needs no escape: one pass over the bytes says so.
        if !text.utf8.contains(where: mayNeedEscape) {
            return "\"" + text + "\""
        }
        var out: [UInt8] = []
        append(text[...], to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `byte` starts something written as an escape: a control character, `"`, `\\`, `<`, `>`, `&`,
    /// or the first byte of U+2028/U+2029 (0xE2, which also starts curly quotes and dashes: those stay).
    @inline(__always)
    static func mayNeedEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0xE2
    }

    /// Whether any of the 8 bytes of `chunk` is one `mayNeedEscape` names: the exact tests for a byte below
    /// 0x20 and for a byte equal to each value, on all eight at once (no carry across bytes decides them).
    @inline(__always)
    static func mayNeedEscape(_ chunk: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func below(_ x: UInt64, _ n: UInt8) -> UInt64 { (x &- UInt64(n) &* ones) & ~x & high }
        @inline(__always) func equal(_ value: UInt8) -> UInt64 { below(chunk ^ UInt64(value) &* ones, 1) }
        return below(chunk, 0x20) | equal(0x22) | equal(0x5C) | equal(0x3C) | equal(0x3E) | equal(0x26) | equal(0xE2) != 0
    }

    /// `string(text)`'s UTF-8, appended to `out` (quotes included), byte by byte.
    public static func append(_ text: Substring, to out: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0, to: &out) }) != nil { return }
        Array(text.utf8).withUnsafeBufferPointer { append($0, to: &out) }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var index = 0
        while index < bytes.count {
            // What needs no escape, copied at once.
            let start = index
            // Eight bytes at a time while none of them may need an escape.
            while index + 8 <= bytes.count, !mayNeedEscape(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
            }
            while index < bytes.count {
                let byte = bytes[index]
                if mayNeedEscape(byte) { break }
                index += 1
            }
            if index > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x3C: out += Array("\\u003c".utf8)
            case 0x3E: out += Array("\\u003e".utf8)
            case 0x26: out += Array("\\u0026".utf8)
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                out += Array((bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 3
                continue
            case ..<0x20:
                out += Array("\\u00\(Hex.string(CollectionOfOne(byte)))".utf8)
            default:
                out.append(byte)
            }
            index += 1
        }
        out.append(0x22)
    }

    /// Reads the rest of a JSON string whose opening quote was already read: its value, and what follows the
    /// closing quote. Nil when it is not a valid JSON string.
    public static func parseString(_ text: Substring) -> (String, Substring)? {
        // Without a backslash before the closing quote, the value is the text up to it.
        if let end = text.utf8.firstIndex(where: { $0 == 0x22 || $0 == 0x5C }), text.utf8[end] == 0x22 {
            return (String(text[..<end]), text[text.utf8.index(after: end)...])
        }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"":
                return (String(out), Substring(scalars))
            case "\\":
                guard let escaped = scalars.popFirst() else { return nil }
                switch escaped {
                case "\"", "\\", "/": out.append(escaped)
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{C}")
                case "u":
                    let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                    guard hex.count == 4, var value = UInt32(hex, radix: 16) else { return nil }
                    scalars = scalars.dropFirst(4)
                    if (0xD800..<0xDC00).contains(value) {
                        // A surrogate pair: \uD83D\uDE00.
                        let low = String(String.UnicodeScalarView(scalars.prefix(6)))
                        guard low.hasPrefix("\\u"), let second = UInt32(low.dropFirst(2), radix: 16),
                              (0xDC00..<0xE000).contains(second) else { return nil }
                        scalars = scalars.dropFirst(6)
                        value = 0x10000 + ((value - 0xD800) << 10) + (second - 0xDC00)
                    }
                    guard let decoded = Unicode.Scalar(value) else { return nil }
                    out.append(decoded)
                default: return nil
                }
            default:
                out.append(scalar)
            }
        }
        return nil
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
