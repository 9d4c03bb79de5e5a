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
        if text.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, isFence(first) else {
            return FrontMatter(yaml: nil, yamlLine: 1, body: text, bodyLine: 1)
        }
        for index in 1..<lines.count where isFence(lines[index]) {
            let yaml = lines[1..<index].joined(separator: "\n")
            let body = lines[(index + 1)...].joined(separator: "\n")
            return FrontMatter(yaml: yaml, yamlLine: 2, body: body, bodyLine: index + 2)
        }
        throw DiagnosticsError([.error(at: SourceLocation(file: file, line: 1, column: 1),
            "front matter opened with '---' is never closed; add a line '---' after the last field")])
    }

    private static func isFence(_ line: Substring) -> Bool {
        line.count >= 3 && line.hasPrefix("---") && line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
