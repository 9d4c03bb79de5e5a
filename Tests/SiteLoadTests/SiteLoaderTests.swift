import SiteIO
import SiteModel
import Testing
@testable import SiteLoad

/// A minimal valid site, to which each test adds or replaces files.
func fixture(_ files: [String: String], drafts: Bool = false) throws -> Site {
    var all = [
        "/site/site.yaml": "title: Test\n",
        "/site/Content/index.md": "---\ntitle: Home\n---\nHello\n",
        "/site/Templates/page.mustache": "{{page.title}}",
    ]
    for (path, text) in files { all["/site/" + path] = text }
    return try SiteLoader(fileSystem: InMemoryFileSystem(files: all)).load(root: "/site", includeDrafts: drafts)
}

/// The diagnostics `load` throws, as the CLI prints them.
func diagnostics(_ load: () throws -> Site) -> [String] {
    do {
        _ = try load()
        return []
    } catch let error as DiagnosticsError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected: \(error)"]
    }
}

/// The diagnostics a broken site produces.
func errors(_ files: [String: String]) -> [String] {
    diagnostics { try fixture(files) }
}

@Suite struct FrontMatterTests {
    @Test func fieldsKeepTheTypeTheyDeclare() throws {
        let site = try fixture(["site.yaml": "title: Test\nparams: {country: text, count: integer, flag: text, on: bool}\n", "Content/about.md": """
            ---
            title: NO
            description: 2024
            weight: 3
            date: 2024-02-29
            country: NO
            count: 7
            flag: yes
            on: true
            ---
            Body
            """])
        let page = try #require(site.page(atContentPath: "about.md"))
        #expect(page.title == "NO")
        #expect(page.description == "2024")
        #expect(page.weight == 3)
        #expect(page.date == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(page.params.map(\.key) == ["country", "count", "flag", "on"])
        #expect(page.params.map(\.value) == [.string("NO"), .int(7), .string("yes"), .bool(true)])
        #expect(page.body == "Body")
        #expect(page.bodyLine == 11)
    }

    @Test func anImpossibleDateIsAnErrorAtItsValue() {
        #expect(errors(["Content/about.md": "---\ntitle: About\ndate: 2024-02-30\n---\n"])
            == [#"Content/about.md:3:7: error: 'date' must be a real date YYYY-MM-DD, found "2024-02-30""#])
    }

    @Test func anUnclosedFrontMatterIsAnErrorAtLine1() {
        #expect(errors(["Content/about.md": "---\ntitle: About\n\nBody\n"])
            == ["Content/about.md:1:1: error: front matter opened with '---' is never closed; add a line '---' after the last field"])
    }

    @Test func aMissingTitleIsAnError() {
        #expect(errors(["Content/about.md": "---\ndescription: x\n---\n"])
            == ["Content/about.md:2:1: error: front matter is missing 'title'; add 'title: ...'"])
    }

    @Test func wrongTypesAreErrorsAtTheirValues() {
        #expect(errors(["Content/about.md": "---\ntitle: [a, b]\nweight: heavy\ndraft: yes\npaginate: 0\n---\n"]) == [
            "Content/about.md:2:8: error: 'title' must be text, found a list",
            #"Content/about.md:3:9: error: 'weight' must be a whole number, found "heavy""#,
            #"Content/about.md:4:8: error: 'draft' must be true or false, found "yes""#,
            "Content/about.md:5:11: error: 'paginate' must be at least 1, found 0",
        ])
    }

    @Test func aByteOrderMarkAndCRLFLineEndingsWork() throws {
        let site = try fixture(["Content/about.md": "\u{FEFF}---\r\ntitle: About\r\n---\r\nBody\r\n"])
        let page = try #require(site.page(atContentPath: "about.md"))
        #expect(page.title == "About")
        #expect(page.body == "Body\n")
    }

    @Test func aYAMLSyntaxErrorIsReportedWhereItIs() {
        let result = errors(["Content/about.md": "---\ntitle: About\ntags: [a, b\n---\n"])
        #expect(result.count == 1)
        #expect(result.first?.hasPrefix("Content/about.md:4:") == true)
        #expect(result.first?.contains("error: invalid YAML") == true)
    }

    @Test func nestedAliasesCannotExpandWithoutBound() {
        var yaml = "---\ntitle: Bomb\na0: [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 { yaml += "a\(i): &a\(i) [" + Array(repeating: i == 1 ? "*a0" : "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml = yaml.replacingOccurrences(of: "a0: [", with: "a0: &a0 [") + "---\n"
        let result = errors(["Content/bomb.md": yaml])
        #expect(result == ["Content/bomb.md:2:1: error: YAML aliases (*name) expand this file to more values than it could hold written out; write the values out or use fewer aliases"])
    }

    /// What is bounded is the expansion through aliases, not the size: a long list written out loads.
    @Test func aLargeDocumentWithoutAliasesLoads() throws {
        let items = (0..<60_000).map { "  - item \($0)" }.joined(separator: "\n")
        let site = try fixture(["Content/data/items.yaml": "list:\n" + items + "\n"])
        #expect(site.data.first?.value["list"].map { if case .array(let a) = $0 { a.count } else { 0 } } == 60_000)
    }

    @Test func everyErrorInTheSiteIsReportedSortedByFileAndLine() {
        #expect(errors([
            "Content/b.md": "---\ntitle: B\ndate: 2024-13-01\n---\n",
            "Content/a.md": "---\ntitle: A\nweight: x\n---\n",
        ]) == [
            #"Content/a.md:3:9: error: 'weight' must be a whole number, found "x""#,
            #"Content/b.md:3:7: error: 'date' must be a real date YYYY-MM-DD, found "2024-13-01""#,
        ])
    }
}

@Suite struct SiteConfigTests {
    @Test func readsEveryKey() throws {
        let site = try fixture([
            "site.yaml": """
                title: Global Vision
                description: Partnerships
                language: en
                base_url: https://example.org/global
                markdown: { unsafe_html: true }
                menu:
                  - index.md
                  - page: about.md
                    title: About us
                  - title: SJTU
                    url: https://www.sjtu.edu.cn/
                """,
            "Content/about.md": "---\ntitle: About\n---\n",
        ])
        #expect(site.config.title == "Global Vision")
        #expect(site.config.baseURL == "https://example.org/global/")
        #expect(site.config.markdown.unsafeHTML)
        #expect(site.config.menu.map(\.target) == [.page("index.md"), .page("about.md"), .url("https://www.sjtu.edu.cn/")])
        #expect(site.config.menu.map(\.title) == [nil, "About us", "SJTU"])
    }

    @Test func unknownKeysAreErrorsNamingTheKeyAndLine() {
        #expect(errors(["site.yaml": "title: T\nbaseurl: https://x.org/\nmarkdown:\n  unsafe: true\n"]) == [
            "site.yaml:2:1: error: unknown key 'baseurl' in site.yaml; did you mean 'base_url'?",
            "site.yaml:4:3: error: unknown key 'unsafe' in 'markdown'; did you mean 'unsafe_html'?",
        ])
        #expect(errors(["site.yaml": "title: T\nfrobnicate: 1\n"]) == [
            "site.yaml:2:1: error: unknown key 'frobnicate' in site.yaml; known keys are title, description, language, base_url, menu, markdown, links, check, languages, params, collections, search",
        ])
    }

    /// A typo in a front matter key is an error at the key, never a field silently ignored (a draft
    /// published, a description dropped); other fields are declared in site.yaml with a type.
    @Test func unknownFrontMatterKeysAreErrorsWithTheNearestKnownKey() {
        #expect(errors(["Content/about.md": "---\ntitle: About\ndrfat: true\ndescripton: x\ncountry: NO\n---\n"]) == [
            "Content/about.md:3:1: error: unknown front matter key 'drfat'; did you mean 'draft'?",
            "Content/about.md:4:1: error: unknown front matter key 'descripton'; did you mean 'description'?",
            "Content/about.md:5:1: error: unknown front matter key 'country'; declare it in site.yaml under 'params:' (like 'params: {country: text}'), or use one of title, description, layout, slug, weight, draft, date, list, paginate, collections",
        ])
        #expect(errors(["site.yaml": "title: T\nparams: {country: text}\n", "Content/about.md": "---\ntitle: About\ncountyr: NO\n---\n"]) == [
            "Content/about.md:3:1: error: unknown front matter key 'countyr'; did you mean 'country'?",
        ])
    }

    @Test func declaredFieldsAreReadByTheirTypeAndCanBeRequired() throws {
        let config = "title: T\nparams:\n  featured: bool\n  tags: [text]\n  rank: {type: integer, required: true}\n  site: url\n  when: date\n"
        let site = try fixture(["site.yaml": config,
                                "Content/index.md": "---\ntitle: Home\nrank: 1\n---\n",
                                "Content/about.md": "---\ntitle: About\nfeatured: true\ntags: [NO, 2024]\nrank: 2\nsite: https://x.org/\nwhen: 2024-02-29\n---\n"])
        let page = try #require(site.page(atContentPath: "about.md"))
        #expect(page.params.map(\.value) == [.bool(true), .array([.string("NO"), .string("2024")]), .int(2), .string("https://x.org/"), .string("2024-02-29")])
        #expect(errors(["site.yaml": config, "Content/index.md": "---\ntitle: Home\nrank: 1\n---\n",
                        "Content/about.md": "---\ntitle: About\nfeatured: yes\ntags: x\nsite: javascript:alert(1)\nwhen: 2024-02-30\n---\n"]) == [
            "Content/about.md:1:1: error: front matter is missing 'rank', which site.yaml requires of every page (params: rank); add 'rank: ...'",
            #"Content/about.md:3:11: error: 'featured' must be true or false, found "yes""#,
            #"Content/about.md:5:7: error: 'site' "javascript:alert(1)" is not a website address like https://www.example.org/: it starts with 'javascript:' (only http:// and https:// addresses are allowed)"#,
            #"Content/about.md:6:7: error: 'when' must be a real date YYYY-MM-DD, found "2024-02-30""#,
        ])
        #expect(errors(["site.yaml": "title: T\nparams: {title: text, a: txet, b: [list, of]}\n"]) == [
            "site.yaml:2:10: error: 'title' is a built-in front matter field; declare only other fields under 'params:'",
            "site.yaml:2:26: error: unknown field type 'txet'; did you mean 'text'?",
            "site.yaml:2:35: error: a field type is a name (text, localized, markdown, slug, integer, number, bool, date, year-month, url, email, country, point, enum, ref, group) or a list of one, like [text]; found a list",
        ])
    }

    /// Nested front matter (`author: {name: …, email: …}`, as Hugo and Jekyll sites have) is a group: its
    /// fields are declared and checked like any others, each error at its own value.
    @Test func aGroupOfFieldsIsReadAndCheckedFieldByField() throws {
        let config = "title: T\nparams:\n  author: {name: {type: text, required: true}, email: email}\n  cover: {type: group, fields: {image: text, alt: text}}\n"
        let site = try fixture(["site.yaml": config,
                                "Content/about.md": "---\ntitle: About\nauthor:\n  name: \"Li Wei\"\n  email: li.wei@example.edu\ncover: {image: a.png}\n---\n"])
        let page = try #require(site.page(atContentPath: "about.md"))
        #expect(page.params.map(\.key) == ["author", "cover"])
        #expect(page.params.map(\.value) == [.object([("email", .string("li.wei@example.edu")), ("name", .string("Li Wei"))]),
                                              .object([("image", .string("a.png"))])])
        #expect(errors(["site.yaml": config,
                        "Content/about.md": "---\ntitle: About\nauthor:\n  nmae: Li\n  email: li.wei\ncover: a.png\n---\n"]) == [
            "Content/about.md:4:3: error: 'author' has no field 'nmae'; did you mean 'name'?",
            "Content/about.md:4:3: error: 'author' is missing 'name', which its declaration requires; add 'name: ...'",
            #"Content/about.md:5:10: error: 'author.email' must be an e-mail address like name@example.org, found "li.wei""#,
            #"Content/about.md:6:8: error: 'cover' must be a mapping of image, alt, like {image: …, alt: …}, found "a.png""#,
        ])
        #expect(errors(["site.yaml": "title: T\nparams:\n  author: {type: group}\n  b: {name: txet, who: {type: ref, to: people}}\n"]) == [
            "site.yaml:3:18: error: a group needs its fields, like {type: group, fields: {name: text, email: email}}",
            "site.yaml:4:13: error: unknown field type 'txet'; did you mean 'text'?",
            "site.yaml:4:24: error: a field inside a group cannot refer to records; declare 'who' as a field of its own",
        ])
    }

    @Test func baseURLMustBeAbsolute() {
        #expect(errors(["site.yaml": "title: T\nbase_url: /global/\n"])
            == [#"site.yaml:2:11: error: 'base_url' "/global/" is not an absolute http:// or https:// URL like https://example.org/: it is a relative path"#])
    }

    /// A menu URL is published on every page: no javascript: or other schemes.
    @Test func aMenuURLMustBeHTTPMailtoOrRelative() {
        #expect(errors(["site.yaml": "title: T\nmenu:\n  - {title: X, url: 'javascript:alert(1)'}\n  - {title: Y, url: 'https://x.org/'}\n  - {title: Z, url: 'mailto:a@b.org'}\n  - {title: W, url: '../other/'}\n"])
            == [#"site.yaml:3:21: error: menu item url "javascript:alert(1)" cannot be published on every page: it starts with 'javascript:' (only http://, https://, mailto: and relative addresses are allowed)"#])
    }

    @Test func aMenuItemMustNameAPage() {
        #expect(errors(["site.yaml": "title: T\nmenu:\n  - index.md\n  - page: missing.md\n"])
            == ["site.yaml:4:5: error: menu item 'missing.md' names no page; give a path relative to Content/, like about.md"])
    }

    @Test func aMissingSiteYAMLIsAnError() throws {
        let fs = InMemoryFileSystem(files: ["/site/Content/index.md": "---\ntitle: Home\n---\n",
                                            "/site/Templates/page.mustache": ""])
        #expect(throws: DiagnosticsError.self) { try SiteLoader(fileSystem: fs).load(root: "/site") }
    }

    @Test func aMissingContentFolderIsAnEnvironmentError() {
        let fs = InMemoryFileSystem(files: ["/site/site.yaml": "title: T\n"])
        #expect(throws: SiteEnvironmentError.self) { try SiteLoader(fileSystem: fs).load(root: "/site") }
    }
}

@Suite struct SiteStructureTests {
    @Test func routesFollowTheContentFolders() throws {
        let site = try fixture([
            "Content/about.md": "---\ntitle: About\n---\n",
            "Content/programs/index.md": "---\ntitle: Programs\n---\n",
            "Content/programs/ottawa.md": "---\ntitle: Ottawa\n---\n",
            "Content/programs/france.md": "---\ntitle: France\nslug: sino-french\n---\n",
            "Content/news/2024/visit.md": "---\ntitle: Visit\n---\n",
        ])
        #expect(site.pages.map(\.route) == ["/", "/about/", "/news/", "/news/2024/", "/news/2024/visit/",
                                            "/programs/", "/programs/ottawa/", "/programs/sino-french/"])
        #expect(site.pages.map(\.kind) == [.home, .page, .section, .section, .page, .section, .page, .page])
        #expect(site.pages.filter(\.isGenerated).map(\.title) == ["News", "2024"])
    }

    @Test func draftsAreLeftOutUnlessAskedFor() throws {
        let files = ["Content/wip.md": "---\ntitle: WIP\ndraft: true\n---\n"]
        #expect(try fixture(files).page(atContentPath: "wip.md") == nil)
        #expect(try fixture(files, drafts: true).page(atContentPath: "wip.md") != nil)
    }

    @Test func twoPagesWantingOneURLAreAnError() {
        #expect(errors(["Content/a.md": "---\ntitle: A\n---\n", "Content/b.md": "---\ntitle: B\nslug: a\n---\n"])
            == ["Content/b.md:1:1: error: this page and Content/a.md both want the URL /a/; rename one or give it another 'slug'"])
    }

    @Test func listMustNameASection() {
        #expect(errors(["Content/a.md": "---\ntitle: A\nlist: progs\n---\n", "Content/programs/x.md": "---\ntitle: X\n---\n"])
            == ["Content/a.md:3:7: error: 'list: progs' names no section; use the name of a folder in Content/ (programs)"])
    }

    @Test func filesAreCopiedButNotEditorLeftoversOrDotfiles() throws {
        let site = try fixture([
            "Content/img/logo.png": "png", "Content/img/logo.png~": "old", "Content/.hidden": "x",
            "Content/.about.md.swp": "x", "Content/#draft.md#": "x",
            "Templates/assets/site.css": "body{}", "Templates/assets/site.css.swp": "x",
            "Content/data/people.yaml": "- name: A\n",
        ])
        #expect(site.assets.map(\.outputPath) == ["assets/site.css", "img/logo.png"])
        #expect(site.data.map(\.key) == ["people"])
        #expect(site.data.first?.value == .array([.object([(key: "name", value: .string("A"))])]))
    }

    @Test func templatesAreNamedByFileAndPartialsByTheirPathUnderPartials() throws {
        let site = try fixture(["Templates/partials/nav.mustache": "nav", "Templates/home.mustache": "home"])
        #expect(site.templates.map(\.name) == ["home", "page", "nav"])
        #expect(site.templates.map(\.isPartial) == [false, false, true])
    }
}
