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

/// The common front matter — one `key: value` per line, values plain or quoted without escapes — read
/// without Yams, giving the tree and positions Yams would (a test compares the two on many documents).
/// Anything else (nesting, lists, comments, escapes, anchors, empty values, odd characters) returns nil
/// and goes to Yams. Yams spends most of its time setting up its parser: at 10,000 pages this is about
/// 5% of a build.
enum FlatYAML {
    static func parse(_ text: String, file: String, lineOffset: Int) -> YAMLNode? {
        var text = text
        return text.withUTF8 { parseBytes($0, file: file, lineOffset: lineOffset) }
    }

    private static func parseBytes(_ bytes: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int) -> YAMLNode? {
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var keys: Set<String> = []
        var lineStart = 0
        var line = 0
        while lineStart < bytes.count {
            line += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            if lineEnd == lineStart { continue }  // an empty line
            guard let pair = parseLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), file: file,
                                       line: line + lineOffset),
                  let key = pair[0].scalarText, keys.insert(key).inserted else { return nil }
            pairs.append((key: pair[0], value: pair[1]))
        }
        guard let first = pairs.first else { return nil }
        return YAMLNode(kind: .mapping(pairs), location: first.key.location)
    }

    private static func parseLine(_ line: UnsafeBufferPointer<UInt8>, file: String, line number: Int) -> [YAMLNode]? {
        // The key: a letter or `_`, then letters, digits, `_` and `-`, then `:` and at least one space.
        guard let first = line.first, isLetter(first) || first == UInt8(ascii: "_") else { return nil }
        var colon = 1
        while colon < line.count, isLetter(line[colon]) || isDigit(line[colon]) || line[colon] == UInt8(ascii: "_") || line[colon] == UInt8(ascii: "-") {
            colon += 1
        }
        guard colon < line.count, line[colon] == UInt8(ascii: ":") else { return nil }
        var start = colon + 1
        guard start < line.count, line[start] == UInt8(ascii: " ") else { return nil }
        while start < line.count, line[start] == UInt8(ascii: " ") { start += 1 }
        guard start < line.count else { return nil }
        let value = UnsafeBufferPointer(rebasing: line[start...])
        // Characters YAML may read as line breaks or a byte order mark, tabs and control characters.
        for (index, byte) in value.enumerated() {
            if byte < 0x20 || byte == 0x7F { return nil }
            if byte == 0xC2, index + 1 < value.count, value[index + 1] == 0x85 { return nil }
            if byte == 0xE2, index + 2 < value.count, value[index + 1] == 0x80, value[index + 2] == 0xA8 || value[index + 2] == 0xA9 { return nil }
            if byte == 0xEF { return nil }
        }
        let text: String
        let plain: Bool
        let quote = value[0]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            // Quoted, ending the line, with no escape and no quote inside.
            guard value.count >= 2, value[value.count - 1] == quote else { return nil }
            let inner = UnsafeBufferPointer(rebasing: value[1..<(value.count - 1)])
            guard !inner.contains(quote), quote == UInt8(ascii: "'") || !inner.contains(UInt8(ascii: "\\")) else { return nil }
            text = String(decoding: inner, as: UTF8.self)
            plain = false
        } else {
            // Plain: starting with a letter or digit (no indicator), no `: ` or ` #` inside, not ending in a
            // space or `:`.
            guard isLetter(quote) || isDigit(quote) || quote >= 0x80 else { return nil }
            for index in 0..<value.count {
                let byte = value[index]
                if byte == UInt8(ascii: ":"), index + 1 == value.count || value[index + 1] == UInt8(ascii: " ") { return nil }
                if byte == UInt8(ascii: "#"), value[index - 1] == UInt8(ascii: " ") { return nil }
            }
            guard value[value.count - 1] != UInt8(ascii: " ") else { return nil }
            text = String(decoding: value, as: UTF8.self)
            plain = true
        }
        let key = YAMLNode(kind: .scalar(String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self), plain: true),
                           location: SourceLocation(file: file, line: number, column: 1))
        return [key, YAMLNode(kind: .scalar(text, plain: plain), location: SourceLocation(file: file, line: number, column: start + 1))]
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
