import SiteIO
import SiteLoad
import SiteModel
import Testing
@testable import SiteRender

/// Loads a small in-memory site and renders it: route → HTML.
func render(_ files: [String: String]) throws -> [String: String] {
    var all = [
        "/site/site.yaml": "title: Test\nmenu:\n  - index.md\n",
        "/site/Content/index.md": "---\ntitle: Home\n---\n",
        "/site/Templates/page.mustache": "{{page.title}}",
    ]
    for (path, text) in files { all["/site/" + path] = text }
    let site = try SiteLoader(fileSystem: InMemoryFileSystem(files: all)).load(root: "/site")
    var result: [String: String] = [:]
    for page in try LanguageRenderers(site: site).renderAll() { result[page.route] = page.html }
    return result
}

func renderErrors(_ files: [String: String]) -> [String] {
    do {
        _ = try render(files)
        return []
    } catch let error as DiagnosticsError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected: \(error)"]
    }
}

@Suite struct TemplateErrorTests {
    @Test func aMissingPartialIsAnErrorAtItsTag() {
        #expect(renderErrors(["Templates/page.mustache": "<main>\n  {{> header}}\n</main>"])
            == ["Templates/page.mustache:2:3: error: partial 'header' does not exist; add Templates/partials/header.mustache"])
    }

    @Test func aMissingParentIsAnErrorAtItsTag() {
        #expect(renderErrors(["Templates/page.mustache": "{{<base}}{{$main}}x{{/main}}{{/base}}"])
            == ["Templates/page.mustache:1:1: error: partial 'base' does not exist; add Templates/partials/base.mustache"])
    }

    /// A section closed by the wrong tag, or never closed, is reported where it was opened (its cause).
    @Test func aSyntaxErrorIsReportedWhereItsCauseIs() {
        #expect(renderErrors(["Templates/page.mustache": "<ul>\n{{#pages}}<li>{{title}}</li>{{/page}}\n</ul>"])
            == ["Templates/page.mustache:2:1: error: section 'pages' opened here is never closed (line 2 closes 'page' first); add {{/pages}} where it ends"])
        #expect(renderErrors(["Templates/page.mustache": "<ul>\n{{#pages}}<li>{{title}}</li>\n</ul>\n\n"])
            == ["Templates/page.mustache:2:1: error: section 'pages' opened here is never closed; add {{/pages}}"])
        #expect(renderErrors(["Templates/page.mustache": "a\n{{/pages}}"])
            == ["Templates/page.mustache:2:1: error: {{/pages}} closes a section that was never opened; remove it or add {{#pages}} before it"])
        #expect(renderErrors(["Templates/page.mustache": "a {{page.title"])
            == ["Templates/page.mustache:1:3: error: tag is not closed: expected }} after 'page.title', found the end of the file"])
    }

    @Test func unescapedOutputIsOnlyForEngineHTML() {
        #expect(renderErrors(["Templates/page.mustache": "{{{page.content}}}\n{{{page.title}}} {{& site.title}}"]) == [
            "Templates/page.mustache:2:1: error: 'page.title' is inserted without HTML escaping; write {{page.title}} (only HTML the engine made may be: content, item.content, json_ld, page.content and a collection's markdown fields)",
            "Templates/page.mustache:2:18: error: 'site.title' is inserted without HTML escaping; write {{site.title}} (only HTML the engine made may be: content, item.content, json_ld, page.content and a collection's markdown fields)",
        ])
    }

    @Test func aMissingLayoutIsAnErrorAtTheLayoutField() {
        #expect(renderErrors(["Content/a.md": "---\ntitle: A\nlayout: wide\n---\n"])
            == ["Content/a.md:3:9: error: layout 'wide' does not exist; add Templates/wide.mustache or use one of: page"])
    }

    @Test func aBrokenMarkdownLinkIsAnErrorAtItsFileLineAndColumn() {
        #expect(renderErrors(["Content/a.md": "---\ntitle: A\n---\nIntro.\n\nSee [the programme](programs/ottawa.md).\n"])
            == ["Content/a.md:6:5: error: link to 'programs/ottawa.md': Content/programs/ottawa.md does not exist; fix the path, relative to this file"])
    }
}

@Suite struct RenderingTests {
    @Test func valuesAreHTMLEscaped() throws {
        // (Smart punctuation off: it would turn the quotes curly, leaving nothing to escape.)
        let html = try render(["site.yaml": "title: Test\nmarkdown: {smart_punctuation: false}\n",
                               "Content/a.md": "---\ntitle: \"<script>alert('x')</script> & co\"\n---\n"])
        #expect(html["/a/"] == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co")
    }

    /// "SJTUSM's" in a title and in the body come out alike: front matter, site.yaml and data text get the
    /// smart punctuation Markdown gets; ids, slugs and addresses are left alone.
    @Test func smartPunctuationIsTheSameInFrontMatterDataAndMarkdown() throws {
        let html = try render([
            "site.yaml": """
                title: "Ada's site"
                menu: [{page: a.md, title: "Ada's -- page"}]
                collections:
                  notes: {fields: {name: text, code: slug, link: url}, pages: {route: "/notes/{id}/", layout: note}}
                """,
            "Content/a.md": "---\ntitle: \"SJTUSM's \\\"global\\\" vision...\"\ndescription: 'Since the 1980s---and on'\n---\nSJTUSM's \"global\" vision...\n",
            "Content/data/notes.yaml": "- {id: n-1, name: \"O'Neil's note\", code: it-s, link: \"https://example.org/a'b\"}\n",
            "Templates/page.mustache": "{{site.title}}|{{#menu}}{{title}}{{/menu}}|{{page.title}}|{{page.description}}|{{{page.content}}}",
            "Templates/note.mustache": "{{#note}}{{name}}|{{code}}|{{link}}{{/note}}",
        ])
        #expect(html["/a/"] == "Ada’s site|Ada’s – page|SJTUSM’s “global” vision…|Since the 1980s—and on|<p>SJTUSM’s “global” vision…</p>\n")
        #expect(html["/notes/n-1/"] == "O’Neil’s note|it-s|https://example.org/a&#39;b")
    }

    @Test func layoutsFollowThePageKindAndInheritanceWorks() throws {
        let html = try render([
            "Templates/partials/base.mustache": "<html>{{$main}}default{{/main}}</html>",
            "Templates/home.mustache": "{{<base}}{{$main}}home:{{page.title}}{{/main}}{{/base}}",
            "Templates/section.mustache": "{{<base}}{{$main}}section:{{page.title}}{{/main}}{{/base}}",
            "Templates/special.mustache": "special:{{page.title}}",
            "Content/a.md": "---\ntitle: A\n---\n",
            "Content/b.md": "---\ntitle: B\nlayout: special\n---\n",
            "Content/s/x.md": "---\ntitle: X\n---\n",
        ])
        #expect(html == ["/": "<html>home:Home</html>", "/a/": "A", "/b/": "special:B", "/s/": "<html>section:S</html>", "/s/x/": "X"])
    }

    @Test func linksAndAssetsArePageRelative() throws {
        let html = try render([
            "Templates/page.mustache": "{{root}}assets/site.css|{{#menu}}{{url}}{{/menu}}|{{{page.content}}}",
            "Content/programs/ottawa.md": "---\ntitle: O\n---\n[home](../index.md#top) [fr](france.md) [abs](/programs/) ![i](map.png)\n",
            "Content/programs/france.md": "---\ntitle: F\n---\n",
        ])
        // Portable links (the default) name each folder's index.html, so they work from disk too.
        #expect(html["/programs/ottawa/"] == "../../assets/site.css|../../index.html|<p><a href=\"../../index.html#top\">home</a> <a href=\"../france/index.html\">fr</a> <a href=\"../index.html\">abs</a> <img src=\"../map.png\" alt=\"i\" /></p>\n")
    }

    @Test func cleanLinksEndInASlash() throws {
        let html = try render([
            "site.yaml": "title: Test\nlinks: clean\nmenu:\n  - index.md\n",
            "Templates/page.mustache": "{{root}}assets/site.css|{{#menu}}{{url}}{{/menu}}|{{home_url}}|{{{page.content}}}",
            "Content/programs/ottawa.md": "---\ntitle: O\n---\n[home](../index.md#top) [fr](france.md) [abs](/programs/) ![i](map.png)\n",
            "Content/programs/france.md": "---\ntitle: F\n---\n",
        ])
        #expect(html["/programs/ottawa/"] == "../../assets/site.css|../../|../../|<p><a href=\"../../#top\">home</a> <a href=\"../france/\">fr</a> <a href=\"../\">abs</a> <img src=\"../map.png\" alt=\"i\" /></p>\n")
        #expect(renderErrors(["site.yaml": "title: T\nlinks: pretty\n"]) == [
            "site.yaml:2:8: error: 'links' must be 'portable' (links end in index.html; works from disk) or 'clean' (links end in /), found \"pretty\"",
        ])
    }

    @Test func sectionsListTheirPagesByWeightThenNewestDateThenTitle() throws {
        let html = try render([
            "Templates/page.mustache": "{{#pages}}{{title}},{{/pages}}|{{#sections}}{{title}},{{/sections}}",
            "Content/p/index.md": "---\ntitle: P\n---\n",
            "Content/p/b.md": "---\ntitle: B\n---\n",
            "Content/p/a.md": "---\ntitle: A\n---\n",
            "Content/p/old.md": "---\ntitle: Old\ndate: 2020-01-01\n---\n",
            "Content/p/new.md": "---\ntitle: New\ndate: 2024-01-01\n---\n",
            "Content/p/first.md": "---\ntitle: Zed\nweight: 1\n---\n",
            "Content/p/sub/x.md": "---\ntitle: X\n---\n",
        ])
        #expect(html["/p/"] == "Zed,New,Old,A,B,|Sub,")
    }

    @Test func anyPageCanListAnotherSection() throws {
        let html = try render([
            "Templates/page.mustache": "{{#list}}<a href=\"{{url}}\">{{title}}</a>{{/list}}",
            "Content/about.md": "---\ntitle: About\nlist: programs\n---\n",
            "Content/programs/ottawa.md": "---\ntitle: Ottawa\n---\n",
        ])
        #expect(html["/about/"] == "<a href=\"../programs/ottawa/index.html\">Ottawa</a>")
    }

    @Test func largeSectionsPaginateWithPrevAndNextLinks() throws {
        var files = [
            "Templates/page.mustache": "{{#pages}}{{title}} {{/pages}}|{{#pagination}}{{current}}/{{total}} prev={{prev_url}} next={{next_url}}{{/pagination}}",
            "Content/p/index.md": "---\ntitle: P\npaginate: 2\n---\n",
        ]
        for i in 1...5 { files["Content/p/\(i).md"] = "---\ntitle: T\(i)\nweight: \(i)\n---\n" }
        let html = try render(files)
        #expect(html["/p/"] == "T1 T2 |1/3 prev= next=page/2/index.html")
        #expect(html["/p/page/2/"] == "T3 T4 |2/3 prev=../../index.html next=../3/index.html")
        #expect(html["/p/page/3/"] == "T5 |3/3 prev=../2/index.html next=")
    }

    @Test func theMenuMarksTheCurrentPageAndBreadcrumbsLeadHome() throws {
        let html = try render([
            "site.yaml": "title: T\nmenu:\n  - index.md\n  - programs/index.md\n",
            "Templates/page.mustache": "{{#menu}}[{{title}}{{#current}}*{{/current}}{{#active}}+{{/active}}]{{/menu}} {{#breadcrumbs}}{{title}}>{{/breadcrumbs}}",
            "Content/programs/index.md": "---\ntitle: Programs\n---\n",
            "Content/programs/ottawa.md": "---\ntitle: Ottawa\n---\n",
        ])
        #expect(html["/programs/ottawa/"] == "[Home][Programs+] Home>Programs>")
        #expect(html["/programs/"] == "[Home][Programs*+] Home>")
    }

    @Test func theTableOfContentsAndCustomFieldsReachTemplates() throws {
        let html = try render([
            "Templates/page.mustache": "{{#page.toc}}{{level}}:{{text}}:{{url}};{{/page.toc}}|{{page.params.country}}|{{#data.people}}{{name}}{{/data.people}}",
            "site.yaml": "title: T\nparams: {country: text}\n",
            "Content/a.md": "---\ntitle: A\ncountry: NO\n---\n## One\n\n### Two\n",
            "Content/data/people.yaml": "- name: Ada\n",
        ])
        #expect(html["/a/"] == "2:One:#one;3:Two:#two;|NO|Ada")
    }

    @Test func aGroupOfFieldsReachesTemplatesByName() throws {
        let html = try render([
            "Templates/page.mustache": "{{#page.params.author}}{{name}} ({{email}}){{/page.params.author}}|{{page.params.author.name}}",
            "site.yaml": "title: T\nparams: {author: {name: text, email: email}}\n",
            "Content/a.md": "---\ntitle: A\nauthor: {name: Ada, email: ada@example.org}\n---\n",
        ])
        #expect(html["/a/"] == "Ada (ada@example.org)|Ada")
    }
}

@Suite struct RelativeURLTests {
    @Test(arguments: [
        ("/", "/", "./"), ("/", "/a/", "a/"), ("/a/b/", "/", "../../"), ("/a/b/", "/a/c/", "../c/"),
        ("/a/", "/a/", "./"), ("/a/b/", "/assets/site.css", "../../assets/site.css"), ("/a/b/", "/a/x.png", "../x.png"),
        ("/a/b/", "/a/b/c/", "c/"), ("/ab/", "/a/", "../a/"), ("/a/", "/a.css", "../a.css"), ("/zh/项目/", "/zh/伙伴/", "../%E4%BC%99%E4%BC%B4/"),
        ("/a/b/", "/a/b/index.html", "index.html"), ("/a//b/", "/a/b/", "./"),
    ])
    func relativeURLs(_ from: String, _ to: String, _ expected: String) {
        #expect(RelativeURL.from(from, to: to) == expected)
    }

    @Test(arguments: [
        ("x.html", "a/b", "a/b/x.html"), ("../x.html", "a/b", "a/x.html"), ("../../x", "a/b", "x"),
        ("../../../x", "a/b", nil), ("./c/./d/../e", "a", "a/c/e"), ("/x/y", "a/b", "x/y"), ("", "a/b", "a/b"),
        ("..", "a", ""), ("c//d/", "", "c/d"), ("../伙伴/index.html", "zh/项目", "zh/伙伴/index.html"),
    ] as [(String, String, String?)])
    func resolvedPaths(_ path: String, _ base: String, _ expected: String?) {
        #expect(RelativeURL.resolve(path, against: base) == expected)
    }
}

@Suite struct EscapingTests {
    /// `{{value}}` is escaped by the bytes (Orbis's content type, set by a pragma line it puts in front of
    /// every template): an apostrophe or quote followed by a combining mark is one `Character`, which
    /// swift-mustache's own escaper would let through — and end a quoted attribute with.
    @Test func valuesAreEscapedByteByByteEvenBeforeCombiningMarks() throws {
        let html = try render([
            "site.yaml": "title: Test\nmarkdown: {smart_punctuation: false}\n",
            "Content/index.md": "---\ntitle: \"It'\u{301}s <b> & \\\"q\u{301}\\\"\"\n---\n",
            "Templates/page.mustache": "<p title='{{page.title}}'>{{page.title}}</p>\n",
        ])
        #expect(html["/"] == "<p title='It&#39;\u{301}s &lt;b&gt; &amp; &quot;q\u{301}&quot;'>It&#39;\u{301}s &lt;b&gt; &amp; &quot;q\u{301}&quot;</p>\n")
    }
}
