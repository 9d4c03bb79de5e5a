import Foundation
import SiteModel
import Yams

/// Within the loader, the tree Yams is read into (`DataNode`, shared with the data readers).
typealias YAMLNode = DataNode

/// Parses YAML text into located nodes, reporting syntax errors at their position.
struct YAMLDocument {
    /// The most values a document may expand to, beyond what its size allows: aliases are expanded when
    /// walked, so a few hundred bytes of nested aliases could otherwise take gigabytes. What is bounded is the
    /// expansion, not the file: a document may hold as many values as it has bytes, plus this many through
    /// aliases (10,000 records written out are about 100,000 values and fine).
    static let maximumExpansion: Int = 100_000

    /// Parses `text`, whose first line is line `firstLine` of `file`. Returns nil for an empty document.
    static func parse(_ text: String, file: String, firstLine: Int = 1) throws(DiagnosticsError) -> YAMLNode? {
        if let flat = FlatYAML.parse(text, file: file, lineOffset: firstLine - 1) { return flat }
        return try parseWithYams(text, file: file, firstLine: firstLine)
    }

    /// `parse` through Yams alone (what `FlatYAML` is compared with).
    static func parseWithYams(_ text: String, file: String, firstLine: Int = 1) throws(DiagnosticsError) -> YAMLNode? {
        let node: Node?
        do {
            // The encoding is passed because Yams's default reads the whole process environment on every
            // parse (`YAMS_DEFAULT_ENCODING`): 6% of a 10,000-page build's CPU time.
            node = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw DiagnosticsError([diagnostic(for: error, file: file, firstLine: firstLine)])
        } catch {
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: firstLine), "invalid YAML: \(error)")])
        }
        guard let node else { return nil }
        var budget = maximumExpansion + text.utf8.count
        guard let result = convert(node, file: file, lineOffset: firstLine - 1, budget: &budget) else {
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: firstLine),
                "YAML aliases (*name) expand this file to more values than it could hold written out; write the values out or use fewer aliases")])
        }
        return result
    }

    private static func convert(_ node: Node, file: String, lineOffset: Int, budget: inout Int) -> YAMLNode? {
        budget -= 1
        if budget < 0 { return nil }
        let mark = node.mark
        let location = SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            return YAMLNode(kind: .scalar(scalar.string, plain: scalar.style == .plain), location: location)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            for item in sequence {
                guard let converted = convert(item, file: file, lineOffset: lineOffset, budget: &budget) else { return nil }
                items.append(converted)
            }
            return YAMLNode(kind: .sequence(items), location: location)
        case .mapping(let mapping):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            for (key, value) in mapping {
                guard let k = convert(key, file: file, lineOffset: lineOffset, budget: &budget),
                      let v = convert(value, file: file, lineOffset: lineOffset, budget: &budget) else { return nil }
                pairs.append((k, v))
            }
            return YAMLNode(kind: .mapping(pairs), location: location)
        case .alias:
            return YAMLNode(kind: .scalar("", plain: true), location: location)
        }
    }

    /// How to fix the parse errors editors meet most: a `{`, `}`, `[`, `]` or comma inside a `{…}` or `[…]`
    /// written on one line (a route pattern like `/people/{id}/`, a title with a comma).
    private static func hint(for problem: String) -> String {
        if problem.contains("expected ',' or '}'") || problem.contains("expected ',' or ']'") {
            return "; inside { } or [ ] on one line, quote a value that holds {, }, [, ] or a comma (\"/people/{id}/\"), or write the mapping one key per line"
        }
        return ""
    }

    private static func diagnostic(for error: YamlError, file: String, firstLine: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line + firstLine - 1, column: mark.column)
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            if problem.hasPrefix("Maximum nesting level reached") {
                return .error(at: at(mark), "invalid YAML: the values are nested too deeply (more lists or mappings inside each other than any site needs); flatten them")
            }
            let detail = context.map { " \($0.text)" } ?? ""
            return .error(at: at(mark), "invalid YAML: \(problem)\(detail)\(hint(for: problem))")
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(at: at(context.mark),
                          "duplicate key '\(duplicates.first ?? "")' in a mapping; keep one of them")
        default:
            return .error(at: SourceLocation(file: file, line: firstLine), "invalid YAML: \(error)")
        }
    }
}

/// The common front matter read without Yams, giving the tree and positions Yams would (tests compare the
/// two on many documents, listed and random): `key: value` lines, values plain or quoted (double quotes with
/// `\"` and `\\` as their only escapes; single quotes with `''`), a plain value wrapped over more indented
/// lines (as PyYAML writes long strings), comments on a line of their own at the top level or after a plain
/// value, a list on one line (`tags: [a, "b c"]`), and one level of nesting — a key with no value followed
/// by indented `- item` lines or `key: value` lines (`author:` / `  name: …`). Anything else (deeper
/// nesting, other comments, other escapes, block scalars, anchors, empty values, odd characters) returns
/// nil and goes to Yams. Yams spends most of its time setting up its parser: at 10,000 pages this is about
/// 5% of a build, and most of loading once front matter has more than a title.
enum FlatYAML {
    static func parse(_ text: String, file: String, lineOffset: Int) -> YAMLNode? {
        var text = text
        return text.withUTF8 { Reader(bytes: $0, file: file, lineOffset: lineOffset).document() }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let file: String
        let lineOffset: Int
        /// Each line's byte range, without its line feed.
        var lines: [Range<Int>] = []

        init(bytes: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int) {
            self.bytes = bytes
            self.file = file
            self.lineOffset = lineOffset
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                lines.append(start..<end)
                start = end + 1
            }
        }

        func location(_ line: Int, _ offset: Int) -> SourceLocation {
            SourceLocation(file: file, line: line + 1 + lineOffset, column: offset - lines[line].lowerBound + 1)
        }

        func indent(_ line: Int) -> Int {
            var i = lines[line].lowerBound
            while i < lines[line].upperBound, bytes[i] == UInt8(ascii: " ") { i += 1 }
            return i - lines[line].lowerBound
        }

        func document() -> YAMLNode? {
            var index = 0
            guard let pairs = mapping(from: &index, indent: 0, nested: false), index == lines.count,
                  let first = pairs.first else { return nil }
            return YAMLNode(kind: .mapping(pairs), location: first.key.location)
        }

        /// `key: value` lines at `indent` spaces from `index` on; at the top level (`nested` false), a key
        /// without a value opens one nested block.
        func mapping(from index: inout Int, indent: Int, nested: Bool) -> [(key: YAMLNode, value: YAMLNode)]? {
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            var keys: Set<String> = []
            while index < lines.count {
                let range = lines[index]
                if range.isEmpty {
                    // An empty line inside a nested block could be followed by more of it: Yams decides.
                    if nested { return nil }
                    index += 1
                    continue
                }
                // A comment on a line of its own, from the first column, between top-level keys.
                if !nested, bytes[range.lowerBound] == UInt8(ascii: "#") {
                    index += 1
                    continue
                }
                let here = self.indent(index)
                if here < indent { break }
                guard here == indent else { return nil }
                let line = index
                let keyStart = range.lowerBound + indent
                guard let colon = key(at: keyStart, end: range.upperBound) else { return nil }
                let keyText = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<colon]), as: UTF8.self)
                guard keys.insert(keyText).inserted else { return nil }
                let keyNode = YAMLNode(kind: .scalar(keyText, plain: true), location: location(line, keyStart))
                index += 1
                if colon + 1 == range.upperBound {
                    // `key:` alone: a nested list or mapping on the next lines, at the top level only.
                    guard !nested, index < lines.count, !lines[index].isEmpty else { return nil }
                    let inner = self.indent(index)
                    let first = lines[index].lowerBound + inner
                    let value: YAMLNode?
                    if bytes[first] == UInt8(ascii: "-") {
                        value = blockList(from: &index, indent: inner)
                    } else if inner > 0, let nestedPairs = mapping(from: &index, indent: inner, nested: true), let head = nestedPairs.first {
                        value = YAMLNode(kind: .mapping(nestedPairs), location: head.key.location)
                    } else {
                        value = nil
                    }
                    guard let value else { return nil }
                    pairs.append((keyNode, value))
                    continue
                }
                guard bytes[colon + 1] == UInt8(ascii: " ") else { return nil }
                var start = colon + 1
                while start < range.upperBound, bytes[start] == UInt8(ascii: " ") { start += 1 }
                guard start < range.upperBound else { return nil }
                if bytes[start] == UInt8(ascii: "|") || bytes[start] == UInt8(ascii: ">") {
                    guard let block = blockScalar(header: start..<range.upperBound, line: line, from: &index, indent: indent) else { return nil }
                    pairs.append((keyNode, block))
                    continue
                }
                guard var value = self.value(line: line, start: start, end: range.upperBound) else { return nil }
                if index < lines.count, !lines[index].isEmpty, self.indent(index) > indent {
                    // More indented lines go on a plain value (as PyYAML wraps long strings).
                    guard case .scalar(let first, true) = value.kind,
                          let folded = continued(first, rawFirst: start..<range.upperBound, from: &index, indent: indent) else { return nil }
                    value = YAMLNode(kind: .scalar(folded, plain: true), location: value.location)
                }
                pairs.append((keyNode, value))
            }
            return pairs
        }

        /// `|`, `|-`, `>` or `>-` ending a key's line, then its lines, all at one indentation deeper than the
        /// key's: kept with their line breaks (`|`) or joined with spaces (`>`), and a final line break unless
        /// `-`. Empty (or blank) or more indented lines inside, other indicators and comments on the header go
        /// to Yams.
        func blockScalar(header: Range<Int>, line: Int, from index: inout Int, indent: Int) -> YAMLNode? {
            let literal = bytes[header.lowerBound] == UInt8(ascii: "|")
            let strip: Bool
            switch header.count {
            case 1: strip = false
            case 2 where bytes[header.lowerBound + 1] == UInt8(ascii: "-"): strip = true
            default: return nil
            }
            var parts: [String] = []
            var depth: Int?
            var endsWithBreak = false
            while index < lines.count, !lines[index].isEmpty, self.indent(index) > indent {
                let here = self.indent(index)
                if depth == nil { depth = here }
                guard here == depth else { return nil }
                let range = lines[index]
                let start = range.lowerBound + here
                // A line of spaces is an empty line of the value, which keeps a line break: Yams decides.
                guard start < range.upperBound, !hasOddCharacters(start, range.upperBound) else { return nil }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<range.upperBound]), as: UTF8.self))
                endsWithBreak = range.upperBound < bytes.count
                index += 1
            }
            // An empty line next could be followed by more of the value: Yams decides.
            guard !parts.isEmpty, index == lines.count || !lines[index].isEmpty else { return nil }
            var text = parts.joined(separator: literal ? "\n" : " ")
            if !strip && endsWithBreak { text += "\n" }
            return YAMLNode(kind: .scalar(text, plain: false), location: location(line, header.lowerBound))
        }

        /// A plain value's continuation lines (each more indented than its key, `indent`), folded into it with
        /// a space between lines. Only lines that are plain text on their own: no `: `, no indicator first,
        /// no empty line in between (which would keep a line break); a comment may end the last line.
        func continued(_ first: String, rawFirst: Range<Int>, from index: inout Int, indent: Int) -> String? {
            if contains(rawFirst, " #") { return nil }
            var text = first
            while index < lines.count, !lines[index].isEmpty, self.indent(index) > indent {
                let range = lines[index]
                let start = range.lowerBound + self.indent(index)
                var end = range.upperBound
                let comment = firstIndex(start..<end, " #")
                if let comment {
                    end = comment
                    while bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
                }
                guard !hasOddCharacters(start, range.upperBound), bytes[end - 1] != UInt8(ascii: " "),
                      bytes[end - 1] != UInt8(ascii: ":"),
                      isLetter(bytes[start]) || isDigit(bytes[start]) || bytes[start] >= 0x80,
                      !contains(start..<end, ": ") else { return nil }
                text += " " + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                index += 1
                // A comment ends the value: a further line for it would not be YAML.
                if comment != nil {
                    if index < lines.count, !lines[index].isEmpty, self.indent(index) > indent { return nil }
                    break
                }
            }
            // An empty line next could be followed by more of the value: Yams decides.
            if index < lines.count, lines[index].isEmpty { return nil }
            return text
        }

        /// Where the two ASCII bytes of `pair` first appear in a row in `range`.
        func firstIndex(_ range: Range<Int>, _ pair: StaticString) -> Int? {
            let first = pair.utf8Start[0], second = pair.utf8Start[1]
            var i = range.lowerBound
            while i + 1 < range.upperBound {
                if bytes[i] == first, bytes[i + 1] == second { return i }
                i += 1
            }
            return nil
        }

        /// Whether the two ASCII bytes of `pair` appear in a row in `range`.
        func contains(_ range: Range<Int>, _ pair: StaticString) -> Bool { firstIndex(range, pair) != nil }

        /// `- item` lines at `indent` spaces (0 is allowed: `tags:` then `- a`).
        func blockList(from index: inout Int, indent: Int) -> YAMLNode? {
            var items: [YAMLNode] = []
            var head: SourceLocation?
            while index < lines.count, !lines[index].isEmpty {
                let range = lines[index]
                let here = self.indent(index)
                if here < indent || (here == indent && indent == 0 && bytes[range.lowerBound] != UInt8(ascii: "-")) { break }
                let dash = range.lowerBound + here
                guard here == indent, bytes[dash] == UInt8(ascii: "-"), dash + 1 < range.upperBound, bytes[dash + 1] == UInt8(ascii: " ") else { return nil }
                var start = dash + 1
                while start < range.upperBound, bytes[start] == UInt8(ascii: " ") { start += 1 }
                guard start < range.upperBound, bytes[start] != UInt8(ascii: "["), let item = scalar(line: index, start: start, end: range.upperBound) else { return nil }
                if head == nil { head = location(index, dash) }
                items.append(item)
                index += 1
            }
            // An empty line after the list could be followed by more items: Yams decides.
            if index < lines.count, lines[index].isEmpty { return nil }
            guard let head else { return nil }
            return YAMLNode(kind: .sequence(items), location: head)
        }

        /// The key at `start`: a letter or `_`, then letters, digits, `_` and `-`; returns the index of the `:`.
        func key(at start: Int, end: Int) -> Int? {
            guard start < end, isLetter(bytes[start]) || bytes[start] == UInt8(ascii: "_") else { return nil }
            var colon = start + 1
            while colon < end, isLetter(bytes[colon]) || isDigit(bytes[colon]) || bytes[colon] == UInt8(ascii: "_") || bytes[colon] == UInt8(ascii: "-") {
                colon += 1
            }
            return colon < end && bytes[colon] == UInt8(ascii: ":") ? colon : nil
        }

        /// A value ending the line: a scalar, or a list on one line.
        func value(line: Int, start: Int, end: Int) -> YAMLNode? {
            guard bytes[start] == UInt8(ascii: "[") else { return scalar(line: line, start: start, end: end) }
            guard !hasOddCharacters(start, end) else { return nil }
            return flowList(line: line, start: start, end: end)
        }

        /// `[a, b c, "d"]`: plain items of letters, digits, spaces, `-`, `_`, `.`, `/`, `+`, or quoted ones
        /// without commas or escapes.
        func flowList(line: Int, start: Int, end: Int) -> YAMLNode? {
            guard bytes[end - 1] == UInt8(ascii: "]") else { return nil }
            var items: [YAMLNode] = []
            var i = start + 1
            let close = end - 1
            while i < close, bytes[i] == UInt8(ascii: " ") { i += 1 }
            if i == close { return YAMLNode(kind: .sequence([]), location: location(line, start)) }
            while i < close {
                var itemEnd = i
                let quote = bytes[i]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    itemEnd = i + 1
                    while itemEnd < close, bytes[itemEnd] != quote {
                        if bytes[itemEnd] == UInt8(ascii: ",") || bytes[itemEnd] == UInt8(ascii: "\\") { return nil }
                        itemEnd += 1
                    }
                    guard itemEnd < close else { return nil }
                    itemEnd += 1
                    items.append(YAMLNode(kind: .scalar(String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(itemEnd - 1)]), as: UTF8.self), plain: false),
                                          location: location(line, i)))
                } else {
                    guard isLetter(quote) || isDigit(quote) || quote >= 0x80 else { return nil }
                    while itemEnd < close, bytes[itemEnd] != UInt8(ascii: ",") {
                        let byte = bytes[itemEnd]
                        guard isLetter(byte) || isDigit(byte) || byte >= 0x80 || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-")
                                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "+") else { return nil }
                        itemEnd += 1
                    }
                    var last = itemEnd
                    while bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
                    items.append(YAMLNode(kind: .scalar(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<last]), as: UTF8.self), plain: true),
                                          location: location(line, i)))
                }
                // Then spaces, and a comma before the next item or the closing bracket.
                var next = itemEnd
                while next < close, bytes[next] == UInt8(ascii: " ") { next += 1 }
                if next == close { break }
                guard bytes[next] == UInt8(ascii: ",") else { return nil }
                next += 1
                while next < close, bytes[next] == UInt8(ascii: " ") { next += 1 }
                guard next < close else { return nil }  // a trailing comma: Yams decides
                i = next
            }
            return YAMLNode(kind: .sequence(items), location: location(line, start))
        }

        /// Characters YAML may read as line breaks or a byte order mark, tabs and control characters.
        func hasOddCharacters(_ start: Int, _ end: Int) -> Bool {
            var index = start
            while index < end {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x7F || byte == 0xEF { return true }
                if byte == 0xC2, index + 1 < end, bytes[index + 1] == 0x85 { return true }
                if byte == 0xE2, index + 2 < end, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 { return true }
                index += 1
            }
            return false
        }

        /// What is between a value's quotes, its escapes replaced: `''` in single quotes, `\"` and `\\` in
        /// double quotes; nil for a quote alone or any other escape.
        func unquoted(_ inner: UnsafeBufferPointer<UInt8>, quote: UInt8) -> String? {
            let escape = quote == UInt8(ascii: "'") ? quote : UInt8(ascii: "\\")
            if !inner.contains(escape), !inner.contains(quote) { return String(decoding: inner, as: UTF8.self) }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(inner.count)
            var i = 0
            while i < inner.count {
                var byte = inner[i]
                if byte == escape {
                    guard i + 1 < inner.count, inner[i + 1] == quote || inner[i + 1] == escape else { return nil }
                    i += 1
                    byte = inner[i]
                } else if byte == quote {
                    return nil
                }
                unescaped.append(byte)
                i += 1
            }
            return String(decoding: unescaped, as: UTF8.self)
        }

        /// A scalar ending the line: quoted (see `unquoted`), or plain — starting with a letter or digit (no
        /// indicator), no `: ` inside, ending at a comment (` #`) or the line, not in a space or `:`.
        func scalar(line: Int, start: Int, end: Int) -> YAMLNode? {
            guard !hasOddCharacters(start, end) else { return nil }
            let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let text: String
            let plain: Bool
            let quote = value[0]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard value.count >= 2, value[value.count - 1] == quote else { return nil }
                guard let inner = unquoted(UnsafeBufferPointer(rebasing: value[1..<(value.count - 1)]), quote: quote) else { return nil }
                text = inner
                plain = false
            } else {
                guard isLetter(quote) || isDigit(quote) || quote >= 0x80 else { return nil }
                // The value ends at a comment (` #`), without the spaces before it.
                var count = value.count
                for index in 0..<value.count {
                    let byte = value[index]
                    if byte == UInt8(ascii: ":"), index + 1 == value.count || value[index + 1] == UInt8(ascii: " ") { return nil }
                    if byte == UInt8(ascii: "#"), value[index - 1] == UInt8(ascii: " ") {
                        count = index - 1
                        while value[count - 1] == UInt8(ascii: " ") { count -= 1 }
                        break
                    }
                }
                guard value[count - 1] != UInt8(ascii: " ") else { return nil }
                text = String(decoding: UnsafeBufferPointer(rebasing: value[0..<count]), as: UTF8.self)
                plain = true
            }
            return YAMLNode(kind: .scalar(text, plain: plain), location: location(line, start))
        }
    }

}

private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
