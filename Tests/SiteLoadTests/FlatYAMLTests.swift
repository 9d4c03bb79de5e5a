import SiteModel
import Testing
@testable import SiteLoad

/// `FlatYAML` reads the simple front matter itself; whatever it accepts must give exactly the tree and
/// positions Yams gives, and whatever it cannot be sure of must go to Yams.
@Suite struct FlatYAMLTests {
    func describe(_ node: YAMLNode?) -> String {
        guard let node else { return "nil" }
        let at = "@\(node.location.line ?? 0):\(node.location.column ?? 0)"
        switch node.kind {
        case .scalar(let text, let plain): return "\(plain ? "plain" : "quoted")(\(text))\(at)"
        case .sequence(let items): return "[" + items.map { describe($0) }.joined(separator: ", ") + "]\(at)"
        case .mapping(let pairs): return "{" + pairs.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: ", ") + "}\(at)"
        }
    }

    static let accepted = [
        "title: Hello",
        "title: \"Page 3: doctor platform patient\"\nweight: 2\ndate: 2024-05-01",
        "title: 'It is'\nlayout: page",
        "title: 'single: quoted # not a comment'",
        "title:   Spaced   value",
        "title: 上海交通大学医学院\ndescription: Ottawa–Shanghai, since 2014",
        "title: NO\ndraft: true\nweight: 3",
        "a: b\n\nc: d",
        "url: https://example.org/a#b",
        "title: a:b",
        "title: C# and F#",
        "key_with-dash: 1",
        "title: \"#1\"",
        "title: \"\"",
        "title: ''",
    ]

    static let declined = [
        "", "\n", "# comment\ntitle: x", "title: x # comment", "title: x\n  nested: y", "list:\n  - a", "title:",
        "title: [a, b]", "title: {a: b}", "title: &anchor x", "title: *anchor", "title: !tag x", "title: |\n  block",
        "title: >\n  folded", "title: \"esc\\\"aped\"", "title: 'open", "title: x:", "title: x: y", "title: trailing ",
        "title: x\ntitle: y", "\"quoted key\": x", "title: -x", "title: ?x", "title: %x", "title: @x", "title: `x",
        "title:\tx", "title: a\tb", "- a\n- b", "title: x\r", "title: a\u{2028}b", "title: \u{FEFF}x", "title: a\u{85}b",
        "  title: x", "title: ,x", "title: \"a\" b", "title: 'a'b'", "title: 'It''s'", "weight: -3",
    ]

    @Test(arguments: accepted + declined)
    func agreesWithYamsWheneverItAnswers(_ text: String) throws {
        let yams = (try? YAMLDocument.parseWithYams(text, file: "x.md", firstLine: 2)).map { describe($0) } ?? "error"
        if let flat = FlatYAML.parse(text, file: "x.md", lineOffset: 1) {
            #expect(describe(flat) == yams, "\(text.debugDescription)")
        } else {
            #expect(!Self.accepted.contains(text), "declined \(text.debugDescription), which it should read")
        }
    }

    @Test func declinesWhatItCannotBeSureOf() {
        for text in Self.declined {
            #expect(FlatYAML.parse(text, file: "x.md", lineOffset: 0) == nil, "\(text.debugDescription)")
        }
    }
}
