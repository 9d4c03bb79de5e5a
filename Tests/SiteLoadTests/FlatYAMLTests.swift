import SiteIO
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
        // Comments on their own line at the top level or after a plain value; `''` in single quotes.
        "# comment\ntitle: x", "title: x # comment", "title: a   # spaced comment", "title: a # b: c", "title: x #",
        "#c\n#d\ntitle: x\n#e", "title: x\n# c\ndate: 2024-01-01", "tags:\n  - a # first\n  - b", "author:\n  name: x # n\ntitle: y",
        "description: a long line\n  wrapped once\n  and twice\ntitle: x", "title: a\n b", "author:\n  name: a\n    b c\ntitle: y",
        "title: |\n  block", "title: >\n  folded", "description: >-\n  A summary: with a colon, # and a hash\n  over two lines\ntitle: x",
        "description: |\n    line one\n    line 'two'\ntitle: x", "description: |-\n  a\n  b", "author:\n  bio: >\n    a b\n    c\ntitle: y",
        "description: see http://example.org/a\n  and more", "description: a b\n  c d  # note\ntitle: x",         "tags:\n  - a\n# after the list\ntitle: x", "title: 'It''s'", "title: 'a''''b'", "title: 'a'''", "title: '''quoted'''",
    ]

    static let declined = [
        "", "\n", "title: x\n  nested: y", "title:",
        "title: {a: b}", "tags: [a, b,]", "tags: [a, [b]]", "tags: [a: b]", "tags: [a #b]", "tags: [\"a, b\"]", "tags: [\"a\\\"b\"]",
        "tags: [a] x", "tags: [a", "tags: [-a]", "tags:\n  - a\n\n  - b", "tags:\n  - a\n   - b", "tags:\n  - [a]", "tags:\n  -a",
        "author:\n  name: x\n  name: y", "author:\n  name:\n    first: x", "author:\n  name: x\n\n  email: y", "author:\ntitle: x",
        "author:\n  name: x\n    email: y", "title: \"a\\nb\"", "title: \"a\\tb\"", "title: \"a\\\"", "title: &anchor x", "title: *anchor", "title: !tag x", "title: |+\n  block",
        "title: >2\n  folded", "title: | # c\n  x", "title: |\n  a\n\n  b", "title: >\n  a\n    b", "title: |\n", "title: |\ntext: x",
        "title: |\n  a\n\ntext: x", "title: |-\n    a\n  b", "title: >\n  a\n  \n  b", "title: |\n  a\n   \n  b", "title: 'open", "title: x:", "title: x: y", "title: trailing ",
        "title: x\ntitle: y", "\"quoted key\": x", "title: -x", "title: ?x", "title: %x", "title: @x", "title: `x",
        "title:\tx", "title: a\tb", "- a\n- b", "title: x\r", "title: a\u{2028}b", "title: \u{FEFF}x", "title: a\u{85}b",
        "  title: x", "title: ,x", "title: \"a\" b", "title: 'a'b'", "title: 'a''b'c'", "weight: -3",
        "  # indented comment\ntitle: x", "author:\n# c\n  name: x", "tags:\n- a\n# c\n- b", "author:\n  name: x\n# c\n  email: y",
        "title: x\t# c", "title: \"x\" # c", "title: [a] # c", "# only a comment",
        "description: a\n  b # c\n  d", "description: a # c\n  b", "description: a\n\n  b", "description: a\n  - b", "description: a\n  b: c",
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

/// Random front matter made of the pieces the fast path reads or declines (comments, wrapped values, quotes with their
/// escapes, lists, nesting, odd spacing): whenever `FlatYAML` answers, Yams must give the same tree.
@Suite struct FlatYAMLRandomTests {
    static let values = [
        "x", "It is", "a # b", "a  #b", "a#b", "a #", "a # b: c", "a: b", "a:b", "'It''s'", "'a'''", "''''", "'a'b'",
        "'a # b'", "\"a # b\"", "\"q\\\"d\"", "\"\"", "''", "[a, b]", "[a, 'b''c']", "[a] # c", "2024-05-01", "-3", "x ",
        "x\t# c", "C# and F#", "上海 # 注", "#x", "x # 'y'", "\"x\" # c", "two words", "http://example.org/a", "ends:",
        "- item", "a: b c", "x y z", "交通 大学", "end ",
    ]
    static let keys = ["title", "date", "tags", "author", "a-b", "_k"]

    func document(_ random: inout SplitMix64) -> String {
        var lines: [String] = []
        for _ in 0..<(1 + random.next(5)) {
            switch random.next(9) {
            case 0: lines.append(["# c", "#", "  # c", "#c: d", ""][random.next(5)])
            case 1:
                lines.append(Self.keys[random.next(Self.keys.count)] + ":")
                let indent = ["", "  ", "    "][random.next(3)]
                for _ in 0..<(1 + random.next(3)) {
                    switch random.next(4) {
                    case 0: lines.append(indent + "- " + Self.values[random.next(Self.values.count)])
                    case 1: lines.append(indent + Self.keys[random.next(Self.keys.count)] + ": " + Self.values[random.next(Self.values.count)])
                    case 2: lines.append(["# c", "  # c", ""][random.next(3)])
                    default: lines.append(indent + "- " + Self.values[random.next(Self.values.count)] + " # n")
                    }
                }
            case 2:
                // A value wrapped over more lines, as PyYAML writes long strings.
                lines.append(Self.keys[random.next(Self.keys.count)] + ": " + Self.values[random.next(Self.values.count)])
                for _ in 0..<(1 + random.next(3)) {
                    lines.append(["", " ", "  ", "    "][random.next(4)] + Self.values[random.next(Self.values.count)])
                }
            case 4:
                // A block scalar, sometimes with what makes it go to Yams (empty or deeper lines, other headers).
                lines.append(Self.keys[random.next(Self.keys.count)] + ": " + ["|", "|-", ">", ">-", "|+", "| # c", ">2"][random.next(7)])
                for _ in 0..<(random.next(4)) {
                    lines.append(["  ", "  ", "  ", "    ", " ", ""][random.next(6)] + (random.next(8) == 0 ? "" : Self.values[random.next(Self.values.count)]))
                }
            case 3:
                lines.append(Self.keys[random.next(Self.keys.count)] + ":")
                lines.append("  " + Self.keys[random.next(Self.keys.count)] + ": " + Self.values[random.next(Self.values.count)])
                lines.append(["  ", "   ", "    ", " "][random.next(4)] + Self.values[random.next(Self.values.count)])
            default:
                lines.append(Self.keys[random.next(Self.keys.count)] + ":" + [" ", "  ", "\t"][random.next(3)] + Self.values[random.next(Self.values.count)])
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func whereverItAnswersItAgreesWithYams() throws {
        let describe = FlatYAMLTests().describe
        var random = SplitMix64(seed: 18)
        var answered = 0
        for _ in 0..<12_000 {
            let text = document(&random)
            guard let flat = FlatYAML.parse(text, file: "x.md", lineOffset: 1) else { continue }
            answered += 1
            let yams = (try? YAMLDocument.parseWithYams(text, file: "x.md", firstLine: 2)).map { describe($0) } ?? "error"
            #expect(describe(flat) == yams, "\(text.debugDescription)")
        }
        #expect(answered > 800, "the fast path answered only \(answered) of 12,000 documents")
    }
}
