import SiteModel

/// Reads JSON (RFC 8259) into the same tree YAML gives, every value at its line and column: objects are
/// mappings, arrays lists, strings quoted scalars (so they stay strings), numbers, `true`, `false` and `null`
/// plain scalars holding their text. A key given twice in an object, trailing commas, comments and nesting
/// beyond 512 levels are errors at their position.
public struct JSONReader {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0

    public static func read(_ text: String, file: String) throws(DiagnosticsError) -> DataNode? {
        var reader = JSONReader(scalars: Array(text.unicodeScalars), file: file)
        reader.skipSpace()
        if reader.index == reader.scalars.count { return nil }
        let node = try reader.value()
        reader.skipSpace()
        if reader.index < reader.scalars.count { throw reader.failure("something after the end of the JSON value") }
        return node
    }

    private init(scalars: [Unicode.Scalar], file: String) {
        self.scalars = scalars
        self.file = file
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func failure(_ message: String, at location: SourceLocation? = nil) -> DiagnosticsError {
        DiagnosticsError([.error(at: location ?? here, "invalid JSON: \(message)")])
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private mutating func skipSpace() {
        while index < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[index]) { advance() }
    }

    private mutating func expect(_ c: Unicode.Scalar) throws(DiagnosticsError) {
        guard index < scalars.count, scalars[index] == c else {
            throw failure(index < scalars.count ? "expected '\(c)', found '\(scalars[index])'" : "expected '\(c)', found the end of the file")
        }
        advance()
    }

    private mutating func value() throws(DiagnosticsError) -> DataNode {
        guard index < scalars.count else { throw failure("a value is missing at the end of the file") }
        let start = here
        switch scalars[index] {
        case "{":
            depth += 1
            defer { depth -= 1 }
            if depth > 512 { throw failure("values are nested more than 512 levels deep") }
            advance()
            var pairs: [(key: DataNode, value: DataNode)] = []
            var keys: Set<String> = []
            skipSpace()
            if index < scalars.count, scalars[index] == "}" { advance(); return DataNode(kind: .mapping([]), location: start) }
            while true {
                skipSpace()
                let keyAt = here
                if index < scalars.count, scalars[index] == "}", !pairs.isEmpty {
                    throw failure("a comma before '}': JSON allows none after the last key; remove it")
                }
                guard index < scalars.count, scalars[index] == "\"" else { throw failure("expected a key in quotes") }
                let key = try string()
                if !keys.insert(key).inserted { throw failure("the key '\(key)' is given twice in this object; keep one", at: keyAt) }
                skipSpace()
                try expect(":")
                skipSpace()
                pairs.append((DataNode(kind: .scalar(key, plain: true), location: keyAt), try value()))
                skipSpace()
                if index < scalars.count, scalars[index] == "," { advance(); continue }
                try expect("}")
                return DataNode(kind: .mapping(pairs), location: start)
            }
        case "[":
            depth += 1
            defer { depth -= 1 }
            if depth > 512 { throw failure("values are nested more than 512 levels deep") }
            advance()
            var items: [DataNode] = []
            skipSpace()
            if index < scalars.count, scalars[index] == "]" { advance(); return DataNode(kind: .sequence([]), location: start) }
            while true {
                skipSpace()
                if index < scalars.count, scalars[index] == "]", !items.isEmpty {
                    throw failure("a comma before ']': JSON allows none after the last item; remove it")
                }
                items.append(try value())
                skipSpace()
                if index < scalars.count, scalars[index] == "," { advance(); continue }
                try expect("]")
                return DataNode(kind: .sequence(items), location: start)
            }
        case "\"":
            return DataNode(kind: .scalar(try string(), plain: false), location: start)
        default:
            var text = String.UnicodeScalarView()
            while index < scalars.count, !",]} \t\r\n".unicodeScalars.contains(scalars[index]) {
                text.append(scalars[index])
                advance()
            }
            let word = String(text)
            guard ["true", "false", "null"].contains(word) || Self.isNumber(word) else {
                throw failure(word.isEmpty ? "expected a value" : "'\(word)' is not a JSON value (text goes in double quotes)", at: start)
            }
            return DataNode(kind: .scalar(word == "null" ? "" : word, plain: true), location: start)
        }
    }

    private mutating func string() throws(DiagnosticsError) -> String {
        try expect("\"")
        var text = String.UnicodeScalarView()
        while true {
            guard index < scalars.count else { throw failure("a string is never closed") }
            let c = scalars[index]
            if c == "\"" { advance(); return String(text) }
            if c.value < 0x20 { throw failure("a control character inside a string; write it escaped (\\n, \\t)") }
            if c == "\\" {
                advance()
                guard index < scalars.count else { throw failure("a string is never closed") }
                let e = scalars[index]
                switch e {
                case "\"", "\\", "/": text.append(e)
                case "b": text.append("\u{8}")
                case "f": text.append("\u{C}")
                case "n": text.append("\n")
                case "r": text.append("\r")
                case "t": text.append("\t")
                case "u":
                    var value: UInt32 = 0
                    for _ in 0..<4 {
                        advance()
                        guard index < scalars.count, let digit = Int(String(scalars[index]), radix: 16) else { throw failure("\\u needs four hex digits") }
                        value = value * 16 + UInt32(digit)
                    }
                    if (0xD800...0xDBFF).contains(value) {
                        // A surrogate pair: \uD83D\uDE00.
                        advance()
                        guard index + 1 < scalars.count, scalars[index] == "\\", scalars[index + 1] == "u" else { throw failure("a lone surrogate in \\u escape") }
                        advance()
                        var low: UInt32 = 0
                        for _ in 0..<4 {
                            advance()
                            guard index < scalars.count, let digit = Int(String(scalars[index]), radix: 16) else { throw failure("\\u needs four hex digits") }
                            low = low * 16 + UInt32(digit)
                        }
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(value) else { throw failure("\\u escape is not a character") }
                    text.append(scalar)
                default:
                    throw failure("unknown escape \\\(e)")
                }
                advance()
                continue
            }
            text.append(c)
            advance()
        }
    }

    static func isNumber(_ word: String) -> Bool {
        var chars = Substring(word)
        if chars.hasPrefix("-") { chars = chars.dropFirst() }
        let whole = chars.prefix { $0.isASCII && $0.isNumber }
        guard !whole.isEmpty, !(whole.count > 1 && whole.hasPrefix("0")) else { return false }
        chars = chars.dropFirst(whole.count)
        if chars.hasPrefix(".") {
            chars = chars.dropFirst()
            let fraction = chars.prefix { $0.isASCII && $0.isNumber }
            guard !fraction.isEmpty else { return false }
            chars = chars.dropFirst(fraction.count)
        }
        if chars.hasPrefix("e") || chars.hasPrefix("E") {
            chars = chars.dropFirst()
            if chars.hasPrefix("+") || chars.hasPrefix("-") { chars = chars.dropFirst() }
            let exponent = chars.prefix { $0.isASCII && $0.isNumber }
            guard !exponent.isEmpty else { return false }
            chars = chars.dropFirst(exponent.count)
        }
        return chars.isEmpty
    }
}
