import Foundation
import Testing

/// What a university web team will feed Orbis — half-edited files, Word text, files from Windows and old
/// Macs, odd names, huge or deeply nested files, links that loop — each through the real binary. The contract
/// for every one: a good build, or an error at the file (and line) that caused it with exit 1 or 2; never a
/// crash, a hang, a raw library error, and never a changed output when the build fails.
@Suite struct HostileInputTests {
    enum Outcome: Sendable {
        /// Exit 0; stderr contains each of these.
        case builds([String])
        /// Exit 1 with exactly these error lines' beginnings (one cause, one error).
        case fails([String])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var family: String
        var name: String
        var change: @Sendable (URL) throws -> Void
        var outcome: Outcome
        var testDescription: String { "\(family): \(name)" }
    }

    static func write(_ site: URL, _ path: String, _ bytes: [UInt8]) throws {
        let url = site.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    static func write(_ site: URL, _ path: String, _ text: String) throws { try write(site, path, Array(text.utf8)) }

    static func page(_ title: String, _ body: String = "Text.\n") -> String { "---\ntitle: \(title)\n---\n\(body)" }

    /// The fixture site with a `partners` collection (a page each, of the layout `partner`) whose records are
    /// `data`, written to `Content/data/partners.<ext>`.
    static func partners(_ site: URL, _ data: String, ext: String = "yaml") throws {
        let url = site.appendingPathComponent("site.yaml")
        let yaml = try String(contentsOf: url, encoding: .utf8)
            + "collections:\n  partners:\n    fields: {name: text, country: country, city: text, website: url}\n    pages: {layout: partner}\n"
        try write(site, "site.yaml", yaml)
        try write(site, "Content/data/partners." + ext, data)
        try write(site, "Templates/partner.mustache", "<html lang=\"en\"><title>{{page.title}}</title><body>{{partner.name}}</body></html>")
    }

    static func shell(_ command: String, in site: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = site
        try process.run()
        process.waitUntilExit()
    }

    static let cases: [Case] = [
        // Encodings and line endings.
        Case(family: "encoding", name: "UTF-8 byte order mark", change: { try write($0, "Content/bom.md", [0xEF, 0xBB, 0xBF] + Array(page("BOM").utf8)) }, outcome: .builds([])),
        Case(family: "encoding", name: "Windows line endings", change: { try write($0, "Content/crlf.md", page("CRLF", "One.\n\nTwo.\n").replacingOccurrences(of: "\n", with: "\r\n")) }, outcome: .builds([])),
        Case(family: "encoding", name: "old Mac line endings (CR only)", change: { try write($0, "Content/cr.md", page("CR", "One.\n\nTwo.\n").replacingOccurrences(of: "\n", with: "\r")) }, outcome: .builds([])),
        Case(family: "encoding", name: "Windows-1252 text in Markdown", change: { try write($0, "Content/w.md", Array(page("W").utf8) + [0x93, 0x71, 0x94, 0x0A]) }, outcome: .fails(["Content/w.md:5:1: error: the file is not valid UTF-8 here (byte 0x93)"])),
        Case(family: "encoding", name: "Latin-1 in a template", change: { try write($0, "Templates/partials/base.mustache", Array("<p>caf".utf8) + [0xE9] + Array("</p>".utf8)) }, outcome: .fails(["Templates/partials/base.mustache:1:7: error: the file is not valid UTF-8 here (byte 0xE9)"])),
        Case(family: "encoding", name: "invalid UTF-8 in site.yaml", change: { try write($0, "site.yaml", Array("title: Caf".utf8) + [0xE9, 0x0A]) }, outcome: .fails(["site.yaml:1:11: error: the file is not valid UTF-8 here (byte 0xE9)"])),
        Case(family: "encoding", name: "UTF-16 (Notepad's Unicode)", change: { try write($0, "Content/u16.md", [0xFF, 0xFE] + Array(page("U").utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) }, outcome: .fails(["Content/u16.md:1:1: error: the file is saved as UTF-16"])),
        Case(family: "encoding", name: "a NUL byte", change: { try write($0, "Content/nul.md", Array(page("N", "A").utf8) + [0] + Array("B\n".utf8)) }, outcome: .fails(["Content/nul.md:4:2: error: the file contains a NUL byte here"])),

        // Front matter shapes and YAML traps.
        Case(family: "front matter", name: "empty", change: { try write($0, "Content/e.md", "---\n---\nBody\n") }, outcome: .fails(["Content/e.md:1:1: error: front matter is empty"])),
        Case(family: "front matter", name: "a list instead of a mapping", change: { try write($0, "Content/l.md", "---\n- a\n- b\n---\n") }, outcome: .fails(["Content/l.md:2:1: error: front matter is missing 'title'", "Content/l.md:2:1: error: front matter must be a mapping"])),
        Case(family: "front matter", name: "a single value", change: { try write($0, "Content/s.md", "---\njust text\n---\n") }, outcome: .fails(["Content/s.md:2:1: error: front matter is missing 'title'", "Content/s.md:2:1: error: front matter must be a mapping"])),
        Case(family: "front matter", name: "a duplicate key", change: { try write($0, "Content/d.md", "---\ntitle: A\ntitle: B\n---\n") }, outcome: .fails(["Content/d.md:2:1: error: duplicate key 'title'"])),
        Case(family: "front matter", name: "tab indentation", change: { try write($0, "Content/t.md", "---\ntitle: A\n\tdescription: x\n---\n") }, outcome: .fails(["Content/t.md:3:1: error: invalid YAML: found a tab character"])),
        Case(family: "front matter", name: "never closed", change: { try write($0, "Content/c.md", "---\ntitle: A\n\nBody\n") }, outcome: .fails(["Content/c.md:1:1: error: front matter opened with '---' is never closed"])),
        Case(family: "front matter", name: "no front matter", change: { try write($0, "Content/n.md", "# Just Markdown\n") }, outcome: .fails(["Content/n.md:1:1: error: page has no front matter"])),
        Case(family: "YAML 1.1", name: "yes, no, on, off and octal stay what YAML 1.2 says", change: { try write($0, "Content/y.md", "---\ntitle: yes\ndescription: no\nweight: 0777\n---\n") }, outcome: .builds([])),
        Case(family: "YAML 1.1", name: "a boolean where text is wanted", change: { try write($0, "Content/b.md", "---\ntitle: [a]\n---\n") }, outcome: .fails(["Content/b.md:2:8: error: 'title' must be text, found a list"])),
        Case(family: "YAML 1.1", name: "an alias bomb", change: {
            var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
            try write($0, "Content/data/bomb.yaml", yaml)
        }, outcome: .fails(["Content/data/bomb.yaml:1:1: error: YAML aliases (*name) expand this file"])),
        Case(family: "YAML 1.1", name: "50,000 nested lists", change: { try write($0, "Content/data/deep.yaml", "d: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "\n") }, outcome: .fails(["Content/data/deep.yaml:1:"])),

        // Sizes.
        Case(family: "size", name: "a 20 MB page", change: { try write($0, "Content/big.md", page("Big", String(repeating: String(repeating: "word ", count: 200) + "\n\n", count: 20_000))) }, outcome: .builds([])),
        Case(family: "size", name: "a 4 MB line", change: { try write($0, "Content/line.md", page("Line", String(repeating: "w", count: 4_000_000) + "\n")) }, outcome: .builds([])),
        Case(family: "size", name: "50,000 nested brackets in Markdown", change: { try write($0, "Content/br.md", page("B", String(repeating: "[", count: 50_000) + "x" + String(repeating: "]", count: 50_000) + "\n")) }, outcome: .builds([])),
        Case(family: "size", name: "50,000 nested block quotes", change: { try write($0, "Content/q.md", page("Q", String(repeating: "> ", count: 50_000) + "x\n")) }, outcome: .builds([])),
        Case(family: "size", name: "20,000 identical headings", change: { try write($0, "Content/h.md", page("H", String(repeating: "## Same\n\n", count: 20_000))) }, outcome: .builds([])),
        Case(family: "size", name: "10,000 partners written out", change: {
            try partners($0, (0..<10_000).map { "- id: p\($0)\n  name: Partner \($0)\n  country: FR\n  city: Paris\n" }.joined())
        }, outcome: .builds([])),
        Case(family: "size", name: "a 100,000-row spreadsheet listed on one page", change: {
            let url = $0.appendingPathComponent("site.yaml")
            try write($0, "site.yaml", try String(contentsOf: url, encoding: .utf8)
                + "collections:\n  people:\n    fields: {name: text, country: country}\n    list: {route: /people/, group: country}\n")
            try write($0, "Content/data/people.csv", "id,name,country\n" + (0..<100_000).map { "p\($0),Person \($0),\(["FR", "CA", "CN"][$0 % 3])\n" }.joined())
            try write($0, "Templates/people.mustache", "<html lang=\"en\"><title>{{page.title}}</title><body>{{#people}}{{#groups}}<h2>{{label}}</h2>{{#items}}<p>{{name}}</p>{{/items}}{{/groups}}{{/people}}</body></html>")
        }, outcome: .builds([])),
        Case(family: "size", name: "sections nested 20,000 deep in a template", change: { try write($0, "Templates/page.mustache", String(repeating: "{{#page}}", count: 20_000) + String(repeating: "{{/page}}", count: 20_000)) }, outcome: .fails(["Templates/page.mustache:1:892: error: sections are nested more than 100 deep here"])),

        // Templates that would recurse forever.
        Case(family: "template", name: "a layout including itself", change: { try write($0, "Templates/page.mustache", "<p>{{> page}}</p>") }, outcome: .fails(["Templates/page.mustache:1:4: error: {{> page}} makes a cycle (page → page)"])),
        Case(family: "template", name: "two partials including each other", change: {
            try write($0, "Templates/partials/a.mustache", "{{> b}}")
            try write($0, "Templates/partials/b.mustache", "{{> a}}")
            try write($0, "Templates/page.mustache", "{{> a}}")
        }, outcome: .fails(["Templates/partials/b.mustache:1:1: error: {{> a}} makes a cycle (partials/a → partials/b → partials/a)"])),
        Case(family: "template", name: "a parent inheriting itself", change: { try write($0, "Templates/partials/base.mustache", "{{$main}}{{/main}}{{<base}}{{/base}}") }, outcome: .fails(["Templates/partials/base.mustache:1:19: error: {{< base}} makes a cycle (partials/base → partials/base)"])),
        Case(family: "template", name: "escaping turned off through new delimiters", change: { try write($0, "Templates/page.mustache", "{{=<% %>=}}<%& page.title %>") }, outcome: .fails(["Templates/page.mustache:1:12: error: 'page.title' is inserted without HTML escaping"])),
        Case(family: "template", name: "a value in an unquoted attribute", change: { try write($0, "Templates/page.mustache", "<h1 class={{page.title}}>x</h1>") }, outcome: .fails(["Templates/page.mustache:1:11: error: {{page.title}} is the value of class= without quotes"])),
        Case(family: "template", name: "a value in a script", change: { try write($0, "Templates/page.mustache", "<script>var n = {{page.title}};</script>") }, outcome: .fails(["Templates/page.mustache:1:17: error: {{page.title}} is inside <script>"])),
        Case(family: "template", name: "a value in a style attribute", change: { try write($0, "Templates/page.mustache", "<p style=\"x: {{page.title}}\">x</p>") }, outcome: .fails(["Templates/page.mustache:1:14: error: {{page.title}} is in style="])),
        Case(family: "template", name: "a value starting an href", change: { try write($0, "Templates/page.mustache", "<a href=\"{{page.description}}\">x</a>") }, outcome: .fails(["Templates/page.mustache:1:10: error: {{page.description}} starts the value of href="])),

        // Links and addresses.
        Case(family: "address", name: "a javascript: menu link", change: { try write($0, "site.yaml", "title: T\nmenu:\n  - {title: X, url: 'javascript:alert(1)'}\n") }, outcome: .fails(["site.yaml:3:21: error: menu item url \"javascript:alert(1)\" cannot be published on every page"])),
        Case(family: "address", name: "a partner website without a host", change: {
            try partners($0, "- id: a\n  name: A\n  country: FR\n  city: Paris\n  website: 'https:///'\n")
        }, outcome: .fails(["Content/data/partners.yaml:5:12: error: partner 'a': 'website' \"https:///\" is not a website address"])),
        Case(family: "address", name: "a partner website with a non-breaking space", change: {
            try partners($0, "- id: a\n  name: A\n  country: FR\n  city: Paris\n  website: \"https://x.org/\u{00A0}\"\n")
        }, outcome: .fails(["Content/data/partners.yaml:5:12: error: partner 'a': 'website'"])),
        Case(family: "address", name: "a website typed without https://", change: {
            try partners($0, "id,name,country,city,website\na,A,FR,Paris,www.example.org\n", ext: "csv")
        }, outcome: .fails(["Content/data/partners.csv:2:5: error: partner 'a': 'website' \"www.example.org\" is not a website address like https://www.example.org/: it has no https:// in front; write https://www.example.org"])),

        // Data from spreadsheets and hand-written lists.
        Case(family: "data", name: "a CSV from Excel: BOM, semicolons, Windows line endings, a quoted cell", change: {
            try partners($0, "\u{FEFF}id;name;country;city\r\nlyon;\"Université de Lyon; campus\";FR;Lyon\r\n", ext: "csv")
        }, outcome: .builds([])),
        Case(family: "data", name: "a CSV saved as Windows-1252", change: {
            try partners($0, "", ext: "csv")
            try write($0, "Content/data/partners.csv", Array("id,name,country,city\nlyon,Universit".utf8) + [0xE9] + Array(",FR,Lyon\n".utf8))
        }, outcome: .fails(["Content/data/partners.csv:2:15: error: the file is not valid UTF-8 here (byte 0xE9)"])),
        Case(family: "data", name: "a row with a cell too many", change: {
            try partners($0, "id,name,country,city\nlyon,Lyon,FR,Lyon,extra\n", ext: "csv")
        }, outcome: .fails(["Content/data/partners.csv:2:1: error: row 2 has 5 cells, but the header has 4 columns"])),
        Case(family: "data", name: "the same id in two cases and two normalizations", change: {
            try partners($0, "- {id: caf\u{E9}, name: A, country: FR}\n- {id: Cafe\u{301}, name: B, country: FR}\n")
        }, outcome: .fails(["Content/data/partners.yaml:2:8: error: partner 'Café': the id is already used by the partner at line 1"])),
        Case(family: "data", name: "a country as a name, and NO as Norway", change: {
            try partners($0, "- {id: a, name: A, country: France}\n- {id: b, name: B, country: NO}\n")
        }, outcome: .fails(["Content/data/partners.yaml:1:29: error: partner 'a': 'country' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"France\""])),
        Case(family: "data", name: "JSON with a trailing comma", change: {
            try partners($0, "[{\"id\": \"a\", \"name\": \"A\"},]\n", ext: "json")
        }, outcome: .fails(["Content/data/partners.json:1:27: error: invalid JSON: a comma before ']': JSON allows none after the last item; remove it"])),
        Case(family: "data", name: "a route pattern written inside { } unquoted", change: {
            let url = $0.appendingPathComponent("site.yaml")
            try write($0, "site.yaml", try String(contentsOf: url, encoding: .utf8) + "collections:\n  partners:\n    fields: {name: text}\n    pages: {route: /partners/{id}/}\n")
        }, outcome: .fails(["site.yaml:12:30: error: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping; inside { } or [ ] on one line, quote a value"])),

        Case(family: "address", name: "a javascript: link in Markdown", change: { try write($0, "Content/about.md", page("About", "[x](javascript:alert(1))\n")) }, outcome: .fails(["Content/about.md:4:1: error: link 'javascript:alert(1)' uses 'javascript:', which Orbis does not publish"])),
        Case(family: "address", name: "a javascript: link in Markdown with raw HTML allowed", change: {
            try write($0, "site.yaml", "title: T\nmarkdown: {unsafe_html: true}\n")
            try write($0, "Content/about.md", page("About", "[x](JavaScript:alert(1))\n"))
        }, outcome: .fails(["Content/about.md:4:1: error: link 'JavaScript:alert(1)' uses 'javascript:'"])),

        // Names a browser reads differently.
        Case(family: "name", name: "a # and a space in a file name, linked encoded", change: {
            try write($0, "Content/Report #3.md", page("Report 3"))
            try write($0, "Content/about.md", page("About", "[r](Report%20%233.md)\n"))
        }, outcome: .builds([])),
        Case(family: "name", name: "a ? in a file name", change: { try write($0, "Content/FAQ?.md", page("FAQ")) }, outcome: .builds([])),
        Case(family: "name", name: "two pages differing only in case", change: {
            try write($0, "Content/Casey.md", page("C1"))
            try write($0, "Content/casey.md", page("C2"))
        }, outcome: .fails(["Content/casey.md: error: Content/casey.md publishes casey/index.html and Content/Casey.md publishes Casey/index.html: the names differ only in case"])),
        Case(family: "name", name: "the same name in NFC and NFD", change: {
            try write($0, "Content/caf\u{E9}.md", page("NFC"))
            try write($0, "Content/cafe\u{301}.md", page("NFD"))
        }, outcome: .fails(["Content/caf"])),
        Case(family: "name", name: "a page beside a file of its name", change: {
            try write($0, "Content/notes.md", page("Notes"))
            try write($0, "Content/notes", "plain")
        }, outcome: .fails(["Content/notes.md: error: Content/notes.md publishes notes/index.html, which needs a folder notes, but Content/notes publishes a file there"])),
        Case(family: "name", name: "a page named like a stylesheet", change: { try write($0, "Content/assets/site.css.md", page("CSS")) }, outcome: .fails(["Content/assets/site.css.md: error: Content/assets/site.css.md publishes assets/site.css/index.html"])),
        Case(family: "name", name: "slug: index.html", change: { try write($0, "Content/n.md", "---\ntitle: N\nslug: index.html\n---\n") }, outcome: .fails(["Content/n.md: error: Content/n.md publishes index.html/index.html"])),

        // The file system.
        Case(family: "file system", name: "a named pipe", change: { try shell("mkfifo Content/pipe", in: $0) }, outcome: .builds(["Content/pipe: warning: is a named pipe (FIFO), not a regular file or folder, so it is skipped"])),
        Case(family: "file system", name: "a link to a named pipe", change: { try shell("mkfifo Content/pipe && ln -s pipe Content/link.md", in: $0) }, outcome: .builds(["Content/link.md: warning: is a symbolic link to a named pipe (FIFO), not a regular file or folder, so it is skipped"])),
        Case(family: "file system", name: "a link to a link that leads nowhere", change: { try shell("ln -s nowhere Content/gone.md", in: $0) }, outcome: .builds(["Content/gone.md: warning: is a symbolic link that leads nowhere, not a regular file or folder, so it is skipped"])),
        Case(family: "file system", name: "a folder linked into itself", change: { try shell("ln -s . Content/self", in: $0) }, outcome: .fails(["Content/self: error: is a symbolic link to a folder that contains it"])),
        Case(family: "file system", name: "a link to an enclosing folder", change: { try shell("mkdir -p Content/a/b && ln -s ../.. Content/a/b/up", in: $0) }, outcome: .fails(["Content/a/b/up: error: is a symbolic link to a folder that contains it"])),
    ]

    @Test(arguments: cases)
    func hostileInputGivesAGoodBuildOrOneLocatedError(_ item: Case) throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        #expect(try CLI.run(["build", "--root", site.path]).status == 0)
        let before = try CLI.files(in: site.appendingPathComponent("Output"), withMarker: true)
        try item.change(site)
        let result = try CLI.run(["build", "--root", site.path], timeout: 60)
        #expect(!result.timedOut, "hung")
        for sign in ["Fatal error", "Backtracing", "crashed", "NSCocoaErrorDomain", "Error Domain=", "Swift/"] {
            #expect(!result.stderr.contains(sign), "a crash or a raw library error: \(result.stderr.prefix(400))")
        }
        switch item.outcome {
        case .builds(let expected):
            #expect(result.status == 0, "\(result.stderr.prefix(600))")
            for text in expected { #expect(result.stderr.contains(text), "\(result.stderr.prefix(600))") }
        case .fails(let expected):
            #expect(result.status == 1, "\(result.status): \(result.stderr.prefix(600))")
            let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
            #expect(errors.count == expected.count, "one cause, one error: \(errors)")
            for (line, start) in zip(errors, expected) { #expect(line.hasPrefix(start), "\(line)") }
            #expect(try CLI.files(in: site.appendingPathComponent("Output"), withMarker: true) == before, "the output is as it was")
        }
    }
}
