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
        // Lists on one line, nested lists and mappings one level deep, double-quoted escapes.
        "title: [a, b]", "tags: []", "tags: [ a ,b ]", "tags: [clinical research, nursing, \"a b\", 'c']", "tags: [a-b, c.d, e/f, 2024, x+y]",
        "list:\n  - a", "tags:\n- a\n- b\ntitle: x", "tags:\n  - a\n  - \"b c\"\n  - 'd'\nweight: 2",
        "author:\n  name: \"Li Wei\"\n  email: li.wei@example.edu\ntitle: x", "a:\n    b: 1\n    c: [x, y]\nd: e",
        "title: \"esc\\\"aped\"", "title: \"back\\\\slash\"", "title: \"Were (3): what \\\"it\\\" means\"",
        "title: x\ndate: 2019-06-14T19:45:00+08:00\ntags: [alumni, france]\nauthor:\n  name: \"Sarah Martin\"\n  email: s.m@example.edu\nweight: 3",
    ]

    static let declined = [
        "", "\n", "# comment\ntitle: x", "title: x # comment", "title: x\n  nested: y", "title:",
        "title: {a: b}", "tags: [a, b,]", "tags: [a, [b]]", "tags: [a: b]", "tags: [a #b]", "tags: [\"a, b\"]", "tags: [\"a\\\"b\"]",
        "tags: [a] x", "tags: [a", "tags: [-a]", "tags:\n  - a\n\n  - b", "tags:\n  - a\n   - b", "tags:\n  - [a]", "tags:\n  -a",
        "author:\n  name: x\n  name: y", "author:\n  name:\n    first: x", "author:\n  name: x\n\n  email: y", "author:\ntitle: x",
        "author:\n  name: x\n    email: y", "title: \"a\\nb\"", "title: \"a\\tb\"", "title: \"a\\\"", "title: &anchor x", "title: *anchor", "title: !tag x", "title: |\n  block",
        "title: >\n  folded", "title: 'open", "title: x:", "title: x: y", "title: trailing ",
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
