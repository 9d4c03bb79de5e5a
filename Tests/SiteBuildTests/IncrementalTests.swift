import Foundation
import Logging
import SiteBuild
import SiteIO
import SiteModel
import Testing

/// A rebuild that reuses pages of the last one (`orbis serve`, whose `BuildCache` keeps them) must publish
/// exactly what a build from nothing publishes, or fail as it fails: never a stale page. Each edit a user
/// makes is tried on its own (the matrix), then 200 random edits in a row, each compared with a fresh build.
@Suite struct IncrementalTests {
    static func siteFiles() -> [String: String] {
        var files = [
            "/site/site.yaml": """
                title: Edits
                search: true
                languages:
                  - {code: en, name: English}
                  - {code: fr, name: Français}
                menu:
                  - index.md
                  - news/index.md
                  - page: about.md
                    title: {en: About us, fr: À propos}
                collections:
                  partners:
                    fields:
                      name: text
                      country: country
                      city: text
                    pages: {layout: partner}
                    list: {route: /partners/, group: country}

                """,
            "/site/Templates/partials/base.mustache": """
                <!doctype html><html lang="{{lang}}"><title>{{page.title}} · {{site.title}}</title>
                <nav>{{#menu}}<a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{title}}</a>{{/menu}}</nav>
                <p>{{#breadcrumbs}}<a href="{{url}}">{{title}}</a> {{/breadcrumbs}}</p>
                <p>{{#languages}}<a href="{{url}}" hreflang="{{code}}"{{#current}} aria-current="true"{{/current}}>{{name}}</a>{{/languages}}</p>
                <main>{{$main}}{{/main}}</main><footer>{{t.footer}} {{#data.links}}<span>{{label}}</span>{{/data.links}}</footer></html>
                """,
            "/site/Templates/page.mustache": """
                {{<base}}{{$main}}<h1>{{page.title}}</h1>{{#page.date}}<time>{{page.date_display}}</time>{{/page.date}}
                {{{page.content}}}<ul>{{#pages}}<li><a href="{{url}}">{{title}}</a> {{description}}</li>{{/pages}}</ul>
                {{#list}}<a href="{{url}}">{{title}}</a>{{/list}}{{#pagination}}{{#next_url}}<a href="{{.}}">next</a>{{/next_url}}{{/pagination}}
                <ol>{{#sections}}<li><a href="{{url}}">{{title}}</a></li>{{/sections}}</ol>{{#partners}}{{#items}}<i>{{name}}</i>{{/items}}{{/partners}}{{/main}}{{/base}}
                """,
            "/site/Templates/partner.mustache": "{{<base}}{{$main}}{{#partner}}<h1>{{name}}</h1><p>{{city}}</p>{{/partner}}{{/main}}{{/base}}",
            "/site/Templates/partners.mustache": "{{<base}}{{$main}}{{#partners}}{{#groups}}<h2>{{label}}</h2>{{#items}}<a href=\"{{url}}\">{{name}}</a>{{/items}}{{/groups}}{{/partners}}{{/main}}{{/base}}",
            "/site/Templates/strings/en.yaml": "footer: Made with care\n",
            "/site/Templates/strings/fr.yaml": "footer: Fait avec soin\ncountry: {FR: France, CA: Canada}\n",
            "/site/Content/index.md": "---\ntitle: Home\n---\nWelcome. See [the docs](docs/index.md) and [about](about.md).\n",
            "/site/Content/index.fr.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
            "/site/Content/about.md": "---\ntitle: About\ndescription: Who we are\ncollections: {partners: {country: FR}}\n---\n## Team\n\nPeople.\n",
            "/site/Content/news/index.md": "---\ntitle: News -- \"latest\"\npaginate: 3\n---\n",
            "/site/Content/docs/index.md": "---\ntitle: Docs\nlist: news\n---\nAll the docs.\n",
            "/site/Content/data/links.yaml": "- label: One\n- label: Two\n",
        ]
        var partners = ""
        for i in 0..<6 { partners += "- id: p\(i)\n  name: Partner \(i)\n  country: \(i % 2 == 0 ? "FR" : "CA")\n  city: City \(i)\n" }
        files["/site/Content/data/partners.yaml"] = partners
        for i in 0..<8 {
            files["/site/Content/news/n\(i).md"] = "---\ntitle: News \(i)\ndate: 2024-0\(i + 1)-1\(i)\n---\n## Story\n\nItem \(i).\n"
        }
        for i in 0..<10 {
            let link = "[d\((i + 1) % 10)](d\((i + 1) % 10).md#part-2)"
            files["/site/Content/docs/d\(i).md"] = "---\ntitle: Doc \(i)\nweight: \(i)\n---\n## Part 1\n\nText \(i), see \(link).\n\n## Part 2\n\nMore.\n"
            if i % 3 == 0 { files["/site/Content/docs/d\(i).fr.md"] = "---\ntitle: Doc fr \(i)\n---\n## Part 2\n\nTexte \(i).\n" }
        }
        return files
    }

    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    enum Outcome: Equatable {
        case built([String: String], manifest: String)
        case failed([String])
    }

    /// How rebuilds keep what the last build learned: `orbis serve` keeps a `BuildCache` in memory and builds
    /// into two private folders in turn (the one not being served; written straight in, `WriteOptions.direct`);
    /// `orbis build` leaves a record beside the output and a new process reads it back.
    enum Mode: String, CaseIterable, CustomTestStringConvertible {
        case serve, record
        var testDescription: String { rawValue }
    }

    /// Builds of one site, one after another, as one of the modes makes them.
    final class Builds: @unchecked Sendable {
        let mode: Mode
        let cache = BuildCache()
        /// The private folder `orbis serve` serves now (the other is built next).
        var serving = "/site/serve-b"

        init(mode: Mode) { self.mode = mode }

        /// The output the next build writes.
        var output: String {
            mode == .record ? "/site/Output" : serving == "/site/serve-a" ? "/site/serve-b" : "/site/serve-a"
        }

        func build(_ fs: InMemoryFileSystem) -> (Outcome, BuildReport?) {
            switch mode {
            case .serve:
                let output = self.output
                let result = IncrementalTests.outcome(fs, cache: cache, output: output, privately: true)
                if case .built = result.0 { serving = output }
                return result
            case .record:
                return IncrementalTests.outcome(fs, cache: nil, record: true)
            }
        }
    }

    static func outcome(_ fs: InMemoryFileSystem, cache: BuildCache?, record: Bool = false, output: String = "/site/Output",
                        privately: Bool = false) -> (Outcome, BuildReport?) {
        do {
            var options = BuildOptions(root: "/site", output: output)
            options.keepsRecord = record
            options.privateOutput = privately
            let report = try SiteBuilder(options: options, fileSystem: fs, logger: quiet, cache: cache).build()
            // The manifest without its first line, which names the folder.
            let manifest = try fs.readText(output + ".manifest.json").split(separator: "\n").dropFirst().joined(separator: "\n")
            return (.built(try snapshot(fs, output).filter { $0.key != ".orbis-output" }, manifest: manifest), report)
        } catch let error as DiagnosticsError {
            return (.failed(error.diagnostics.map(\.description)), nil)
        } catch {
            return (.failed(["unexpected: \(error)"]), nil)
        }
    }

    /// Builds `fs` as `builds` do, and its sources from nothing; both must give the same.
    static func compare(_ fs: InMemoryFileSystem, _ builds: Builds, _ what: String) throws -> BuildReport? {
        let output = builds.output
        let before = try? snapshot(fs, output)
        let (incremental, report) = builds.build(fs)
        let (fresh, _) = outcome(try sourcesOnly(of: fs), cache: nil)
        switch (incremental, fresh) {
        case let (.built(files, manifest), .built(expected, expectedManifest)):
            let differing = Set(files.keys).union(expected.keys).filter { files[$0] != expected[$0] }.sorted()
            #expect(differing.isEmpty, "\(what): the rebuild differs from a build from nothing in \(differing)")
            #expect(manifest == expectedManifest, "\(what): the manifests differ")
        default:
            #expect(incremental == fresh, "\(what): the rebuild differs from a build from nothing")
        }
        if case .failed = incremental { #expect(try snapshot(fs, output) == before, "\(what): a failed build changed the output") }
        return report
    }

    static func reused(_ report: BuildReport?) -> Int {
        guard let summary = report?.stages.first(where: { $0.name == "render" })?.summary,
              let open = summary.range(of: "("), let number = Int(summary[open.upperBound...].prefix { $0.isNumber }) else { return 0 }
        return number
    }

    static func edit(_ fs: InMemoryFileSystem, _ path: String, _ change: (String) -> String) throws {
        try fs.writeFile("/site/" + path, Array(change(try fs.readText("/site/" + path)).utf8))
    }

    /// Each kind of edit, one after another on the same cache.
    @Test(arguments: Mode.allCases) func eachKindOfEditGivesWhatAFullBuildGives(mode: Mode) throws {
        let fs = InMemoryFileSystem(files: Self.siteFiles())
        let cache = Builds(mode: mode)
        _ = try Self.compare(fs, cache, "first build")
        typealias Edit = (name: String, apply: (InMemoryFileSystem) throws -> Void, reuses: Bool)
        let edits: [Edit] = [
            ("a body", { try Self.edit($0, "Content/docs/d3.md") { $0 + "\nAdded.\n" } }, true),
            // Checked again alone (its ids and the output's files are the same): its new problems are found.
            ("a broken link in a body", { try Self.edit($0, "Content/docs/d3.md") { $0 + "\nSee [more](/nowhere/).\n" } }, false),
            ("the broken link taken out", { try Self.edit($0, "Content/docs/d3.md") { $0.replacingOccurrences(of: "\nSee [more](/nowhere/).\n", with: "") } }, false),
            // (Words the site has already: a new word can add a search shard, a new file, and then every page is checked.)
            ("a body again", { try Self.edit($0, "Content/docs/d3.md") { $0 + "\nMore text.\n" } }, true),
            ("a link to a missing part of a page", { try Self.edit($0, "Content/docs/d2.md") { $0 + "\nSee [part](/docs/d7/#part-9).\n" } }, false),
            ("the link put right", { try Self.edit($0, "Content/docs/d2.md") { $0.replacingOccurrences(of: "#part-9", with: "#part-2") } }, false),
            ("a body once more", { try Self.edit($0, "Content/docs/d2.md") { $0 + "\nMore.\n" } }, true),
            ("a title", { try Self.edit($0, "Content/docs/d4.md") { $0.replacingOccurrences(of: "title: Doc 4", with: "title: Doc four") } }, true),
            ("a date that reorders a list", { try Self.edit($0, "Content/news/n2.md") { $0.replacingOccurrences(of: "2024-03-12", with: "2025-12-01") } }, true),
            ("a description", { try Self.edit($0, "Content/about.md") { $0.replacingOccurrences(of: "Who we are", with: "Who we really are") } }, true),
            ("a menu entry", { try Self.edit($0, "site.yaml") { $0.replacingOccurrences(of: "en: About us", with: "en: About") } }, false),
            ("a template", { try Self.edit($0, "Templates/page.mustache") { $0.replacingOccurrences(of: "<h1>", with: "<h1 class=\"t\">") } }, false),
            ("a partial", { try Self.edit($0, "Templates/partials/base.mustache") { $0.replacingOccurrences(of: "<nav>", with: "<nav class=\"main\">") } }, false),
            ("a string table", { try Self.edit($0, "Templates/strings/en.yaml") { _ in "footer: Made with much care\n" } }, false),
            ("a data record", { try Self.edit($0, "Content/data/partners.yaml") { $0.replacingOccurrences(of: "City 3", with: "Town 3") } }, true),
            ("a record's name, which lists show", { try Self.edit($0, "Content/data/partners.yaml") { $0.replacingOccurrences(of: "name: Partner 2", with: "name: Partenaire 2") } }, true),
            ("a data file", { try Self.edit($0, "Content/data/links.yaml") { $0 + "- label: Three\n" } }, false),
            ("a deleted page", { try $0.removeItem("/site/Content/news/n7.md") }, true),
            ("a new page", { try $0.writeFile("/site/Content/docs/new.md", Array("---\ntitle: New\n---\nNew page, see [d1](d1.md).\n".utf8)) }, true),
            ("a renamed file", { fs in
                let text = try fs.readText("/site/Content/news/n5.md")
                try fs.removeItem("/site/Content/news/n5.md")
                try fs.writeFile("/site/Content/news/n5-renamed.md", Array(text.utf8))
            }, true),
            ("a new slug for a page others link to", { try Self.edit($0, "Content/docs/d6.md") { $0.replacingOccurrences(of: "weight: 6", with: "weight: 6\nslug: six") } }, true),
            ("a translation added", { try $0.writeFile("/site/Content/about.fr.md", Array("---\ntitle: À propos\n---\nNous.\n".utf8)) }, true),
            ("a translation of a page no menu names", { try $0.writeFile("/site/Content/docs/d1.fr.md", Array("---\ntitle: Doc un\n---\nUn.\n".utf8)) }, true),
            ("the translation taken away", { try $0.removeItem("/site/Content/docs/d1.fr.md") }, true),
            ("a section's title, which its pages' breadcrumbs show", { try Self.edit($0, "Content/docs/index.md") { $0.replacingOccurrences(of: "title: Docs", with: "title: Documents") } }, true),
            // A link written as an address (not to the .md file) is not followed by the plan: when its page
            // goes, the check finds it in a page not rendered again, with its Markdown position.
            ("a link written as an address", { try Self.edit($0, "Content/docs/d8.md") { $0 + "\nSee [six](/news/n6/).\n" } }, true),
            ("the page it leads to deleted", { fs in
                try fs.writeFile("/site/n6.bak", try fs.readFile("/site/Content/news/n6.md"))
                try fs.removeItem("/site/Content/news/n6.md")
            }, false),
            ("the page put back", { fs in
                try fs.writeFile("/site/Content/news/n6.md", try fs.readFile("/site/n6.bak"))
                try fs.removeItem("/site/n6.bak")
            }, true),
            // Settings pages are read with: pages read from the record before must be read again.
            ("smart punctuation turned off", { try Self.edit($0, "site.yaml") { $0 + "markdown: {smart_punctuation: false}\n" } }, false),
            ("smart punctuation back on", { try Self.edit($0, "site.yaml") { $0.replacingOccurrences(of: "markdown: {smart_punctuation: false}\n", with: "") } }, false),
            ("a front matter field declared", { try Self.edit($0, "site.yaml") { $0 + "params: {mood: text}\n" } }, false),
            ("a page using it", { try Self.edit($0, "Content/docs/d7.md") { $0.replacingOccurrences(of: "weight: 7", with: "weight: 7\nmood: calm") } }, true),
            ("the declaration taken away (the page now fails)", { try Self.edit($0, "site.yaml") { $0.replacingOccurrences(of: "params: {mood: text}\n", with: "") } }, false),
            ("the field taken out of the page", { try Self.edit($0, "Content/docs/d7.md") { $0.replacingOccurrences(of: "\nmood: calm", with: "") } }, false),
            ("a heading another page links to", { try Self.edit($0, "Content/docs/d5.md") { $0.replacingOccurrences(of: "## Part 2", with: "## Part two") } }, false),
            ("the heading put back", { try Self.edit($0, "Content/docs/d5.md") { $0.replacingOccurrences(of: "## Part two", with: "## Part 2") } }, false),
        ]
        for edit in edits {
            try edit.apply(fs)
            let report = try Self.compare(fs, cache, edit.name)
            if edit.reuses { #expect(Self.reused(report) > 0, "\(edit.name): nothing was reused") }
            if edit.name.hasPrefix("a body ") || edit.name.hasPrefix("a broken link") || edit.name.hasPrefix("a link to a missing") {
                // (A failed build gives no report: `orbis serve`'s cache still tells.)
                if let checked = mode == .serve ? cache.cache.checkedPages : report?.checkedPages {
                    #expect(checked <= 2, "\(edit.name): \(checked) pages checked")
                }
            }
        }
    }

    /// Pages are parsed again only when a setting they are parsed with changes: not for a new menu entry or
    /// the site's title in the same file.
    @Test func anEditOfSiteYAMLParsesPagesAgainOnlyWhenItChangesHowTheyAreRead() throws {
        let fs = InMemoryFileSystem(files: Self.siteFiles())
        let builds = Builds(mode: .serve)
        _ = try Self.compare(fs, builds, "first build")
        let markdown = Set(Self.siteFiles().keys.filter { $0.hasSuffix(".md") }.map { String($0.dropFirst("/site/Content/".count)) })
        #expect(builds.cache.parsedFiles == markdown)
        try Self.edit(fs, "site.yaml") { $0.replacingOccurrences(of: "en: About us", with: "en: About") }
        _ = try Self.compare(fs, builds, "a menu entry")
        #expect(builds.cache.parsedFiles.isEmpty)
        try Self.edit(fs, "site.yaml") { $0.replacingOccurrences(of: "title: Edits", with: "title: Edited\ndescription: A site") }
        _ = try Self.compare(fs, builds, "the site's title, and a description above the rest")
        #expect(builds.cache.parsedFiles.isEmpty)
        for (what, change) in [("smart punctuation off", { (text: String) in text + "markdown: {smart_punctuation: false}\n" }),
                               ("a front matter field declared", { (text: String) in text + "params: {mood: text}\n" }),
                               ("a language added", { (text: String) in text.replacingOccurrences(of: "  - {code: fr, name: Français}\n", with: "  - {code: fr, name: Français}\n  - {code: de, name: Deutsch}\n") })] {
            try Self.edit(fs, "site.yaml", change)
            _ = try Self.compare(fs, builds, what)
            #expect(builds.cache.parsedFiles == markdown, "\(what)")
        }
    }

    /// A title shows in its section's list and nowhere else here: only the pages that show it are rendered.
    @Test(arguments: Mode.allCases) func aTitleEditRendersOnlyThePagesThatShowIt(mode: Mode) throws {
        let fs = InMemoryFileSystem(files: Self.siteFiles())
        let cache = Builds(mode: mode)
        let first = try #require(try Self.compare(fs, cache, "first build"))
        try Self.edit(fs, "Content/docs/d4.md") { $0.replacingOccurrences(of: "title: Doc 4", with: "title: Doc four") }
        let report = try Self.compare(fs, cache, "a title")
        // The page itself and the docs list (in each language: the French list falls back to it) change;
        // the partners' pages are always made again.
        #expect(first.pages - Self.reused(report) <= 3 + 2 * 8)
        #expect(Self.reused(report) >= 20)
    }

    /// 200 random edits in a row — bodies, titles, dates, weights, headings other pages link to, templates,
    /// strings, data, pages added and deleted — each build compared with a build from nothing.
    @Test(arguments: Mode.allCases) func twoHundredRandomEditsEachGiveWhatAFullBuildGives(mode: Mode) throws {
        let fs = InMemoryFileSystem(files: Self.siteFiles())
        let cache = Builds(mode: mode)
        var random = SplitMix64(seed: 18)
        _ = try Self.compare(fs, cache, "first build")
        var added = 0
        for step in 0..<200 {
            let pages = try fs.filesRecursively(in: "/site/Content").filter { $0.hasSuffix(".md") }.sorted()
            let page = "Content/" + pages[Int(random.next() % UInt64(pages.count))]
            let n = Int(random.next() % 1000)
            let what: String
            switch random.next() % 13 {
            case 0, 1:
                what = "body of \(page)"
                try Self.edit(fs, page) { $0 + "\nEdit \(n).\n" }
            case 2:
                what = "title of \(page)"
                try Self.edit(fs, page) { $0.replacingOccurrences(of: "title: ", with: "title: T\(n) ") }
            case 3:
                what = "date of \(page)"
                try Self.edit(fs, page) { text in
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("date:") }
                    return lines.prefix(2).joined(separator: "\n") + "\ndate: 20\(10 + n % 15)-0\(1 + n % 9)-1\(n % 9)\n" + lines.dropFirst(2).joined(separator: "\n")
                }
            case 4:
                what = "weight of \(page)"
                try Self.edit(fs, page) { text in
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("weight:") }
                    return lines.prefix(2).joined(separator: "\n") + "\nweight: \(n % 20)\n" + lines.dropFirst(2).joined(separator: "\n")
                }
            case 5:
                // Other pages link to `#part-2`: the build fails (in both), then the heading is put back.
                what = "a heading of \(page)"
                let text = try fs.readText("/site/" + page)
                try Self.edit(fs, page) { $0.replacingOccurrences(of: "## Part 2", with: "## Part 3") }
                _ = try Self.compare(fs, cache, "edit \(step): \(what)")
                try fs.writeFile("/site/" + page, Array(text.utf8))
            case 6:
                what = "the page template"
                try Self.edit(fs, "Templates/page.mustache") { $0.replacingOccurrences(of: "<h1", with: n % 2 == 0 ? "<h1 data-n=\"\(n)\"" : "<h1") }
            case 7:
                what = "the strings"
                try Self.edit(fs, "Templates/strings/en.yaml") { _ in "footer: Made \(n)\n" }
            case 8:
                what = "a partner"
                try Self.edit(fs, "Content/data/partners.yaml") { $0.replacingOccurrences(of: "city: City \(n % 6)", with: "city: City \(n % 6)\(n)") }
            case 9:
                added += 1
                what = "a new page"
                try fs.writeFile("/site/Content/docs/new\(added).md", Array("---\ntitle: New \(added)\ndate: 2023-05-0\(1 + n % 9)\n---\nSee [d1](d1.md).\n".utf8))
            case 10:
                // News pages and new pages: no other page links to them (their lists are made by the build).
                what = "deleting \(page)"
                if page.contains("/news/n") || page.contains("/docs/new") { try fs.removeItem("/site/" + page) }
            case 11:
                // Other pages link to this one by its file: the links must follow its new address.
                what = "the slug of \(page)"
                if page.contains("/docs/d") {
                    try Self.edit(fs, page) { text in
                        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                        if lines.contains(where: { $0.hasPrefix("slug:") }) { return lines.filter { !$0.hasPrefix("slug:") }.joined(separator: "\n") }
                        return lines.prefix(2).joined(separator: "\n") + "\nslug: moved-\(n)\n" + lines.dropFirst(2).joined(separator: "\n")
                    }
                }
            default:
                what = "the menu"
                try Self.edit(fs, "site.yaml") { $0.contains("  - news/index.md\n") ? $0.replacingOccurrences(of: "  - news/index.md\n", with: "")
                    : $0.replacingOccurrences(of: "  - index.md\n", with: "  - index.md\n  - news/index.md\n") }
            }
            _ = try Self.compare(fs, cache, "edit \(step): \(what)")
        }
    }
}
