import Foundation
import Testing

/// Typos never build green, and each mistake is one error at its cause — tried on a copy of this
/// repository's site through the real binary, as its web team would make them.
@Suite struct ErrorsOnceTests {
    /// A copy of the Global Vision site's sources in a temporary folder.
    struct SiteCopy {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-errors-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            for item in ["site.yaml", "Content", "Templates"] {
                try FileManager.default.copyItem(at: GlobalVisionSiteTests.repository.appendingPathComponent(item),
                                                 to: root.appendingPathComponent(item))
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// Replaces the first `old` in `file` with `new` (the edit must apply).
        func edit(_ file: String, _ old: String, _ new: String) throws {
            let url = root.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let range = try #require(text.range(of: old), "\(file) has no \(old)")
            try text.replacingCharacters(in: range, with: new).write(to: url, atomically: true, encoding: .utf8)
        }

        /// The build's error lines, without the final summary, and its exit code.
        func errors() throws -> (lines: [String], status: Int32) {
            let result = try CLI.run(["build", "--root", root.path])
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.last?.hasPrefix("error: build failed with ") == true || result.status == 0, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Output").path), "nothing was written")
            return (lines.filter { !$0.hasPrefix("error: build failed") }, result.status)
        }
    }

    @Test func aTypoInSiteYAMLIsOneErrorNotOnePerPage() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("site.yaml", "menu:", "menus:")
        let (lines, status) = try site.errors()
        #expect(status == 1)
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix(": error: unknown key 'menus' in site.yaml; did you mean 'menu'?") == true)
    }

    @Test func aYAMLSyntaxErrorInDataIsOneError() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/data/partners.yaml", "  country: FR\n", "  country: [FR\n")
        let (lines, status) = try site.errors()
        #expect(status == 1)
        #expect(lines.count == 1, "no 'matches no partner' errors for the prose files: \(lines)")
        #expect(lines.first?.hasPrefix("Content/data/partners.yaml:") == true)
        #expect(lines.first?.contains("error: invalid YAML") == true)
    }

    @Test func aTypoInAPartnersKindIsReportedAtTheDataLine() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/data/partners.yaml", "kind: university", "kind: univeristy")
        let (lines, _) = try site.errors()
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Content/data/partners.yaml:") == true)
        #expect(lines.first == "Content/data/partners.yaml:12:9: error: partner 'paris-descartes': 'kind' must be one of university, faculty, health-authority, found \"univeristy\"; did you mean 'university'?")
    }

    @Test func aReferenceToAMistypedIdIsOneErrorAtItsPlaceInTheList() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/data/programmes.yaml", "partners: [lyon, lille]", "partners: [lyon, lile]")
        let (lines, _) = try site.errors()
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Content/data/programmes.yaml:") == true)
        #expect(lines.first?.hasSuffix(":20: error: programme 'life-sciences-master': 'partners' names 'lile', which is no partner; did you mean 'lille'?") == true)
    }

    @Test func aBrokenLinkInAPartialIsOneErrorAtThePartialWithItsPageCount() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Templates/partials/base.mustache", "{{root}}assets/site.css", "{{root}}assets/sit.css")
        let (lines, _) = try site.errors()
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Templates/partials/base.mustache:") == true)
        #expect(lines.first?.contains(": error: broken link '{{root}}assets/sit.css': there is no assets/sit.css in the output in 52 pages (404.html, index.html and 50 more)") == true)
    }

    @Test func templateTyposAreErrorsAtTheirTagWithTheNearestName() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Templates/partials/base.mustache", "{{page.title}} · {{site.title}}", "{{page.titel}} · {{site.footer}}")
        let (lines, _) = try site.errors()
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("Templates/partials/base.mustache:6:"))
        #expect(lines[0].hasSuffix(": error: 'page.titel': page has no 'titel'; did you mean 'title'?"))
        #expect(lines[1].hasSuffix(": error: 'site.footer': site has no 'footer' (it has base_url, description, language, title)"))
    }

    @Test func frontMatterTyposAreErrorsAtTheKey() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/programs/index.md", "title:", "drfat: true\ndescripton: Tours\ntitle:")
        let (lines, _) = try site.errors()
        #expect(lines == [
            "Content/programs/index.md:2:1: error: unknown front matter key 'drfat'; did you mean 'draft'?",
            "Content/programs/index.md:3:1: error: unknown front matter key 'descripton'; did you mean 'description'?",
        ])
    }

    @Test func aMistypedLayoutSuggestsALayoutNeverAPartial() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/programs/index.md", "title:", "layout: pgae\ntitle:")
        let (lines, _) = try site.errors()
        #expect(lines == ["Content/programs/index.md:2:9: error: layout 'pgae' does not exist; did you mean 'page'?"])
        try site.edit("Content/programs/index.md", "layout: pgae", "layout: wide")
        let other = try site.errors().lines
        #expect(other == ["Content/programs/index.md:2:9: error: layout 'wide' does not exist; add Templates/wide.mustache or use one of: 404, home, page, partner, partners, programme, programmes, search, section"])
    }

    /// A record's prose cannot choose its page's layout: the collection does; saying so is an error, not
    /// ignored.
    @Test func aLayoutInARecordsProseIsAnErrorNotIgnored() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/programs/study-tours.md", "description:", "layout: page\ndescription:")
        let (lines, _) = try site.errors()
        #expect(lines == ["Content/programs/study-tours.md:2:9: error: 'layout: page' has no effect here: a programme's page uses the layout and address its collection declares (pages: in site.yaml); remove it, or change the collection's 'layout:'"])
    }

    @Test func anUnclosedSectionIsReportedWhereItOpened() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Templates/page.mustache", "{{#page.description}}<p class=\"lead\">{{page.description}}</p>{{/page.description}}",
                      "{{#page.description}}<p class=\"lead\">{{page.description}}</p>")
        let (lines, _) = try site.errors()
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Templates/page.mustache:4:3: error: section 'page.description' opened here is never closed") == true)
    }

    @Test func aBrokenMarkdownLinkIsQuotedAsItsAuthorWroteIt() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("Content/programs/study-tours.md", "\n---\n", "\n---\n[the list](../partners/index.md#nowhere)\n\n")
        let (lines, _) = try site.errors()
        #expect(lines.count == 1)
        #expect(lines.first?.contains("error: broken link '../partners/index.md#nowhere': partners/index.html has no element with id 'nowhere' in page programs/study-tours/index.html") == true)
    }

    @Test func aDraftInTheMenuIsAWarningThatNamesIt() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try "---\ntitle: News\ndraft: true\n---\n".write(to: site.root.appendingPathComponent("Content/news.md"), atomically: true, encoding: .utf8)
        try site.edit("site.yaml", "menu:\n", "menu:\n  - page: news.md\n    title: {en: News, zh: 新闻}\n")
        let result = try CLI.run(["build", "--root", site.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("site.yaml:14:5: warning: menu item 'news.md' is a draft (draft: true), so it is left out of the menu; build with --drafts to see it"))
    }

    @Test func aMistypedCommandSuggestsTheCommand() throws {
        let result = try CLI.run(["biuld"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: unknown command 'biuld'; did you mean 'build'? (orbis --help lists them)\n")
    }

    @Test func servePrintsEachErrorOnceWithoutAPrefixTwice() throws {
        let site = try SiteCopy()
        defer { site.remove() }
        try site.edit("site.yaml", "menu:", "menus:")
        let server = try ServeProcess(root: site.root)
        defer { server.interrupt() }
        #expect(server.waitForOutput(containing: "still serving the last good build") || server.text.contains("error: build failed"))
        #expect(server.text.contains("site.yaml:13:1: error: unknown key 'menus' in site.yaml; did you mean 'menu'?"))
        #expect(!server.text.contains("error: error:"))
    }
}
