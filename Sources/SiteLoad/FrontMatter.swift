import Foundation
import SiteModel

/// Splits a Markdown file into its YAML front matter and body.
struct FrontMatter {
    /// The YAML between the `---` lines, or nil when the file has none.
    var yaml: String?
    /// The line of the file where the YAML starts.
    var yamlLine: Int
    var body: String
    /// The line of the file where the body starts.
    var bodyLine: Int

    /// Accepts a UTF-8 byte order mark and CRLF line endings. An opening `---` without a closing one is an
    /// error at line 1.
    static func split(_ source: String, file: String) throws(DiagnosticsError) -> FrontMatter {
        var text = source
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.withContiguousStorageIfAvailable({ $0.count > 0 && memchr($0.baseAddress!, 13, $0.count) != nil }) ?? text.utf8.contains(13) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        // Walk line by line only through the front matter; the body is the rest, untouched. (On bytes: a line
        // feed is always a character of its own, and so is every byte a fence is made of.)
        let utf8 = text.utf8
        var lineStart = text.startIndex
        var lineNumber = 1
        var yamlStart: String.Index?
        while lineStart < text.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: 10) ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            let next = lineEnd < text.endIndex ? utf8.index(after: lineEnd) : text.endIndex
            if lineNumber == 1 {
                guard isFence(line) else { return FrontMatter(yaml: nil, yamlLine: 1, body: text, bodyLine: 1) }
                yamlStart = next
            } else if isFence(line), let yamlStart {
                let yaml = String(text[yamlStart..<lineStart].dropLast(lineStart > yamlStart ? 1 : 0))
                return FrontMatter(yaml: yaml, yamlLine: 2, body: String(text[next...]), bodyLine: lineNumber + 1)
            }
            lineStart = next
            lineNumber += 1
        }
        if yamlStart == nil { return FrontMatter(yaml: nil, yamlLine: 1, body: text, bodyLine: 1) }
        throw DiagnosticsError([.error(at: SourceLocation(file: file, line: 1, column: 1),
            "front matter opened with '---' is never closed; add a line '---' after the last field")])
    }

    /// `---`, then nothing but spaces and tabs.
    private static func isFence(_ line: Substring) -> Bool {
        let bytes = line.utf8
        return bytes.starts(with: "---".utf8) && bytes.dropFirst(3).allSatisfy { $0 == 32 || $0 == 9 }
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
