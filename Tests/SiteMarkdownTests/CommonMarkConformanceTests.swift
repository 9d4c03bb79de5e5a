import Foundation
import Testing
@testable import SiteMarkdown

/// One example of the CommonMark spec: Markdown in, the exact HTML expected out.
struct SpecExample: CustomTestStringConvertible, Sendable {
    var number: Int
    var section: String
    var markdown: String
    var html: String
    var testDescription: String { "example \(number) (\(section))" }

    /// Reads the examples from the spec text: fenced by 32 backticks + ` example`, Markdown and HTML split by
    /// a line holding one `.`, with `→` standing for a tab.
    static func load() throws -> [SpecExample] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/commonmark-0.30-spec", withExtension: "txt"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        var examples: [SpecExample] = []
        var section = ""
        var state = 0 // 0 outside, 1 markdown, 2 html
        var markdown = "", html = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if state == 0 {
                if line.hasPrefix("#") { section = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces) }
                if line == fence + " example" { state = 1; markdown = ""; html = "" }
            } else if state == 1 {
                if line == "." { state = 2 } else { markdown += line + "\n" }
            } else if line == fence {
                state = 0
                examples.append(SpecExample(number: examples.count + 1, section: section,
                                            markdown: markdown.replacingOccurrences(of: "→", with: "\t"),
                                            html: html.replacingOccurrences(of: "→", with: "\t")))
            } else {
                html += line + "\n"
            }
        }
        return examples
    }
}

@Suite struct CommonMarkConformanceTests {
    @Test func theSpecHas652Examples() throws {
        #expect(try SpecExample.load().count == 652)
    }

    @Test(arguments: try SpecExample.load())
    func rendersExactlyAsTheSpecSays(_ example: SpecExample) {
        #expect(commonMarkToHTML(example.markdown, unsafe: true) == example.html)
    }
}
