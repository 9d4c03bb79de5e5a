import SiteModel
import Testing
@testable import SiteMarkdown

@Suite struct MarkdownRendererTests {
    let renderer = MarkdownRenderer(options: MarkdownOptions())

    @Test func headingsGetUniqueIDsAndFormTheTableOfContents() {
        let result = renderer.render("# Overview\n\n## Overview\n\n## Overview\n\n### Why *us*?\n")
        #expect(result.html == """
            <h1 id="overview">Overview</h1>
            <h2 id="overview-2">Overview</h2>
            <h2 id="overview-3">Overview</h2>
            <h3 id="why-us">Why <em>us</em>?</h3>

            """)
        #expect(result.headings == [
            Heading(level: 1, text: "Overview", id: "overview"),
            Heading(level: 2, text: "Overview", id: "overview-2"),
            Heading(level: 2, text: "Overview", id: "overview-3"),
            Heading(level: 3, text: "Why us?", id: "why-us"),
        ])
    }

    @Test func chineseHeadingsKeepTheirCharactersInStableIDs() {
        let result = renderer.render("## 国际合作\n\n## 国际合作\n\n## ！？\n")
        #expect(result.headings.map(\.id) == ["国际合作", "国际合作-2", "section"])
        #expect(result.html.contains(#"<h2 id="国际合作">国际合作</h2>"#))
    }

    @Test func idsAreEscapedAndHeadingHTMLFollowsTheSafeMode() {
        let result = renderer.render("## a <script>x</script> & b\n")
        #expect(result.html == "<h2 id=\"a-x-b\">a <!-- raw HTML omitted -->x<!-- raw HTML omitted --> &amp; b</h2>\n")
    }

    @Test func rawHTMLIsOmittedByDefaultAndKeptWhenAllowed() {
        let markdown = "<div class=\"x\">hi</div>\n\ntext <b>bold</b>\n"
        #expect(renderer.render(markdown).html == "<!-- raw HTML omitted -->\n<p>text <!-- raw HTML omitted -->bold<!-- raw HTML omitted --></p>\n")
        let unsafe = MarkdownRenderer(options: MarkdownOptions(unsafeHTML: true))
        #expect(unsafe.render(markdown).html == "<div class=\"x\">hi</div>\n<p>text <b>bold</b></p>\n")
    }

    @Test func smartPunctuationIsOn() {
        #expect(renderer.render("\"Hi\" -- it's 1980s...\n").html == "<p>“Hi” – it’s 1980s…</p>\n")
    }

    @Test func unsafeLinkSchemesAreDroppedInSafeMode() {
        #expect(renderer.render("[x](javascript:alert(1))\n").html == "<p><a href=\"\">x</a></p>\n")
    }

    @Test func linksAreRewrittenAndBrokenOnesReportedAtTheirPosition() {
        let result = renderer.render("Intro\n\nSee [a](a.md) and\nalso ![b](b.md#x).\n") { url in
            url == "a.md" ? .replace("../a/") : .error("no \(url)")
        }
        #expect(result.html == "<p>Intro</p>\n<p>See <a href=\"../a/\">a</a> and\nalso <img src=\"b.md#x\" alt=\"b\" />.</p>\n")
        #expect(result.problems == [MarkdownProblem(line: 4, column: 6, message: "no b.md#x")])
    }
}

@Suite struct SlugTests {
    @Test(arguments: [
        ("Hello, World!", "hello-world"),
        ("  Ottawa–Shanghai  Joint School ", "ottawa-shanghai-joint-school"),
        ("Über Straße", "über-straße"),
        ("上海交通大学 医学院", "上海交通大学-医学院"),
        ("snake_case and-dash", "snake-case-and-dash"),
        ("2014", "2014"),
        ("???", "section"),
    ])
    func slugs(_ input: String, _ expected: String) {
        #expect(Slug.make(input) == expected)
    }

    /// `Slug.make` handles ASCII without Unicode property lookups; every ASCII character must still be
    /// kept, turned into a dash or dropped exactly as the Unicode rules say.
    @Test func asciiFollowsTheUnicodeRules() {
        for value in 0..<128 {
            let scalar = Unicode.Scalar(UInt8(value))
            let p = scalar.properties
            let expected: String
            if p.isAlphabetic || p.numericType != nil {
                expected = "a\(String(scalar).lowercased())b"
            } else if scalar == "_" || p.generalCategory == .dashPunctuation || p.isWhitespace {
                expected = "a-b"
            } else {
                expected = "ab"
            }
            #expect(Slug.make("a\(String(scalar))b") == expected, "character \(value)")
        }
    }
}
