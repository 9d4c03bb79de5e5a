import Foundation
import Synchronization
import SiteData
import SiteMarkdown
import SiteModel

/// A page rendered to HTML, with where it goes.
public struct RenderedPage: Sendable {
    /// The page's values, in one box shared by its copies (`CopyOnWrite`).
    struct Fields: Sendable {
        var route: String
        var outputPath: String
        var html: String
        var sourcePath: String?
        var layout: String = ""
        var markdownLinks: [String: [LinkOrigin]] = [:]
        var translations: [String: String] = [:]
        var source: String = ""
        var reads: [String] = []
    }

    private var box: CopyOnWrite<Fields>

    /// What made a page: the route of the page it is one of (a list's later pages and value pages are
    /// made by the list's page); `@` and the collection for a record's page; `!` for a 404 page.
    package static func recordSource(_ collection: String) -> String { "@" + collection }
    /// The collection whose records made this page (see `recordSource`); nil for any other page.
    package var recordCollection: String? { source.hasPrefix("@") ? String(source.dropFirst()) : nil }
    package static let notFoundSource = "!404"

    /// The page's route, e.g. `/programs/page/2/`.
    public var route: String {
        get { box.value.route }
        set { box.value.route = newValue }
    }
    /// Path inside the output folder, e.g. `programs/page/2/index.html`.
    public var outputPath: String {
        get { box.value.outputPath }
        set { box.value.outputPath = newValue }
    }
    public var html: String {
        get { box.value.html }
        set { box.value.html = newValue }
    }
    /// The Markdown source it came from, for diagnostics (nil for generated pages).
    public var sourcePath: String? {
        get { box.value.sourcePath }
        set { box.value.sourcePath = newValue }
    }
    /// The template it was rendered with (`Templates/<layout>.mustache`).
    public var layout: String {
        get { box.value.layout }
        set { box.value.layout = newValue }
    }
    /// Where each link and image in its Markdown body came from, by the URL written into the HTML.
    public var markdownLinks: [String: [LinkOrigin]] {
        get { box.value.markdownLinks }
        set { box.value.markdownLinks = newValue }
    }
    /// The routes of this page in each language that has it, by language key (itself included).
    public var translations: [String: String] {
        get { box.value.translations }
        set { box.value.translations = newValue }
    }
    /// What made it (see `recordSource`).
    public var source: String {
        get { box.value.source }
        set { box.value.source = newValue }
    }
    /// What its context read besides its own page, sorted (`PageReads`): a rebuild renders it again when one
    /// of these changed.
    public var reads: [String] {
        get { box.value.reads }
        set { box.value.reads = newValue }
    }

    package init(route: String, outputPath: String, html: String, sourcePath: String? = nil, layout: String = "",
                 markdownLinks: [String: [LinkOrigin]] = [:], translations: [String: String] = [:], source: String = "",
                 reads: [String] = []) {
        box = CopyOnWrite(Fields(route: route, outputPath: outputPath, html: html, sourcePath: sourcePath, layout: layout,
                         markdownLinks: markdownLinks, translations: translations, source: source.isEmpty ? route : source,
                         reads: reads))
    }
}

/// What a page read of the rest of the site, for `RenderedPage.reads`: the page at a route (`p` and the
/// route: a breadcrumb, present or not), the list of a section's pages or of its sections (`c`, `u` and
/// the section: who is in it, their order and summaries), a collection's records (`r` and its name), where
/// a Markdown link to a file leads (`l` and the file's content path), which languages have a page (`t` and
/// its route without a language prefix), the menu of its language (`m` and the language's key). What every
/// page reads — the settings, the templates, the strings, the data — is the site's structure, whose change
/// renders everything again. Made and filled on the thread that renders the page.
final class PageReads {
    private(set) var keys: Set<String> = []

    func page(_ route: String) { keys.insert("p" + route) }
    func children(_ section: String) { keys.insert("c" + section) }
    func subsections(_ section: String) { keys.insert("u" + section) }
    func collection(_ name: String) { keys.insert("r" + name) }
    func link(_ contentPath: String) { keys.insert("l" + contentPath) }
    func menu(_ language: String) { keys.insert("m" + language) }
    func translations(_ route: String) { keys.insert("t" + route) }

    var sorted: [String] { keys.sorted() }
}

/// Parts of contexts that the pages of one folder share, made once per renderer (a menu of 22 links on
/// each of 10,000 pages was a tenth of the work of making their contexts).
final class ContextMemo: Sendable {
    let menus = Mutex<[String: TemplateValue]>([:])
    let breadcrumbs = Mutex<[String: (ancestors: [String], crumbs: [TemplateValue])]>([:])
}

/// What a rebuild renders (`LanguageRenderers.renderAll(only:)`): pages by route, and every record's page
/// of some collections. 404 pages are always rendered.
public struct RenderSelection: Sendable, Equatable {
    public var pages: Set<String> = []
    public var collections: Set<String> = []
    /// Of those collections' records' pages, only the ones at these routes (nil: every one).
    public var records: Set<String>?

    public init(pages: Set<String> = [], collections: Set<String> = [], records: Set<String>? = nil) {
        self.pages = pages
        self.collections = collections
        self.records = records
    }

    public var isEmpty: Bool { pages.isEmpty && collections.isEmpty }
}

/// Renders every page of a site: Markdown through `MarkdownRenderer`, then the page's Mustache layout.
/// Pure: no I/O, no clock.
public struct PageRenderer {
    public let site: Site
    let templates: TemplateSet
    let markdown: MarkdownRenderer
    /// The language this renderer renders; `renderAll` renders every language.
    let language: Language
    /// This language's pages.
    let pages: [Page]
    /// This language's pages by content path, falling back to the default language's (links and menu items
    /// to an untranslated page lead to the default language's page).
    let pagesByContentPath: [String: Page]
    /// This language's pages by route (breadcrumbs look up every ancestor).
    let pagesByRoute: [String: Page]
    /// This language's ordinary pages and section pages by the section they are in, in list order.
    let childrenBySection: [String: [Page]]
    let subsectionsBySection: [String: [Page]]
    let data: TemplateContext
    let strings: Strings
    /// The collections by name; each one's record positions by id; who refers to each record (target
    /// collection → id → referring collection → records); each collection in this language's order.
    let collectionsByName: [String: LoadedCollection]
    let recordIndex: [String: [String: Int]]
    let references: ReferenceIndex
    /// Each collection's formats in this language (`Strings.formats(of:)`), worked out once.
    let formats: [String: [(String, String)]]
    /// Each record's place in its collection's order in this language, by collection and id.
    let ranks: [String: [String: Int]]
    let sortedRecords: [String: [Record]]
    /// A record's prose file (`people/ada.md`) → its page's route (what a Markdown link or a menu item
    /// naming it leads to), and the page's title in this language.
    let recordRoutes: [String: String]
    let recordTitles: [String: String]
    /// Which languages have each page: route without language prefix → language key → route. Set once
    /// every language's renderer exists (`LanguageRenderers.init`), since it needs all their routes.
    var translations: [String: [String: String]]
    /// Where the Markdown bodies are when they were taken out of the site (each released once rendered).
    var bodies: MarkdownBodies?
    /// How many threads render this language's pages.
    var threads = Parallelism.processors
    /// The menu's items in this language, resolved once (each page only adds its links and which is current).
    var menuTargets: [MenuTarget]
    /// Menus and breadcrumbs already made, which pages in one folder share (`ContextMemo`).
    let memo = ContextMemo()

    struct MenuTarget {
        var title: String
        /// The route of the page it leads to; nil for an address outside the site (`url`).
        var route: String?
        var url: String?
        var isHome: Bool
    }

    init(site: Site, templates: TemplateSet, language: Language, translations: [String: [String: String]]) {
        self.site = site
        self.templates = templates
        self.language = language
        self.translations = translations
        self.markdown = MarkdownRenderer(options: site.config.markdown)
        let pages = site.pages.filter { $0.language == language.key || $0.language.isEmpty }
        self.pages = pages
        let defaultKey = site.config.defaultLanguage.key
        // Three independent lookups over every page, built side by side (tens of ms at 10,000 pages).
        (pagesByContentPath, pagesByRoute, (childrenBySection, subsectionsBySection)) = concurrently({
            // A page of this language, else the default language's (what links fall back to).
            var byPath = [String: Page](minimumCapacity: pages.count)
            if language.key != defaultKey {
                for page in site.pages where page.language == defaultKey || page.language.isEmpty { byPath[page.contentPath] = page }
            }
            for page in pages { byPath[page.contentPath] = page }
            return byPath
        }, {
            Dictionary(pages.map { ($0.route, $0) }, uniquingKeysWith: { first, _ in first })
        }, {
            (Dictionary(grouping: pages.filter { $0.kind == .page }, by: \.section).mapValues(Page.listSorted),
             Dictionary(grouping: pages.filter { $0.kind == .section }, by: \.section).mapValues(Page.listSorted))
        })
        var data: TemplateContext = [:]
        for (key, value) in site.data { data[key] = TemplateValue(value) }
        self.data = data
        let strings = Strings(site: site, language: language)
        self.strings = strings
        var byName: [String: LoadedCollection] = [:], index: [String: [String: Int]] = [:]
        var sorted: [String: [Record]] = [:], ranks: [String: [String: Int]] = [:]
        var recordRoutes: [String: String] = [:], recordTitles: [String: String] = [:]
        let collation = Collation(language: language)
        let prefix = site.config.routePrefix(for: language.key)
        for collection in site.collections {
            let spec = collection.spec
            byName[spec.name] = collection
            index[spec.name] = Dictionary(collection.records.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            // Without a list, records stay in the order their file gives them.
            let keys = spec.listPage?.sort ?? []
            let order = keys.isEmpty ? collection.records : collation.sorted(collection.records, by: keys) { field, value in
                switch value {
                case .enumeration(let name): strings.label(spec.name, field, name)
                case .country(let code): strings.country(code)
                default: value.text(in: language.key)
                }
            }
            sorted[spec.name] = order
            ranks[spec.name] = Dictionary(order.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            if let pages = spec.recordPages {
                for record in collection.records {
                    let path = "\(pages.prose)/\(record.id).md"
                    recordRoutes[path] = prefix + pages.route(of: record.id)
                    let prose = record.prose[language.key] ?? record.prose[site.config.defaultLanguage.key]
                    recordTitles[path] = prose.flatMap { $0.title.isEmpty ? nil : $0.title }
                        ?? record.values[spec.titleField]?.text(in: language.key) ?? record.id
                }
            }
        }
        self.collectionsByName = byName
        self.recordIndex = index
        self.references = ReferenceIndex(site.collections)
        self.formats = Dictionary(uniqueKeysWithValues: site.collections.map { ($0.spec.name, strings.formats(of: $0.spec.name)) })
        self.ranks = ranks
        self.sortedRecords = sorted
        self.recordRoutes = recordRoutes
        self.recordTitles = recordTitles
        self.menuTargets = []
        self.menuTargets = menuEntries()
    }

    /// This renderer's language: its pages, its records' list, record and value pages. Each page goes through `consume` on
    /// the thread that rendered it, as soon as it is rendered.
    /// - Parameter only: what to render; nil renders every page.
    func renderLanguage(only: RenderSelection? = nil, _ consume: (RenderedPage) -> RenderedPage) throws(DiagnosticsError) -> [RenderedPage] {
        var result: [RenderedPage] = []
        var diagnostics: [Diagnostic] = []
        // Pages render in parallel, one per core at a time; results come back in page order.
        let chosen = only.map { only in pages.filter { only.pages.contains($0.route) } } ?? pages
        let outcomes = parallelMap(chosen, threads: threads) { page -> Result<[RenderedPage], DiagnosticsError> in
            defer { bodies?.release(page) }
            do throws(DiagnosticsError) { return .success(try render(page).map(consume)) } catch { return .failure(error) }
        }
        for outcome in outcomes {
            switch outcome {
            case .success(let pages): result += pages
            case .failure(let error): diagnostics += error.diagnostics
            }
        }
        do throws(DiagnosticsError) {
            result += try renderRecordPages(only: only, consume)
        } catch {
            diagnostics += error.diagnostics
        }
        diagnostics += strings.problems
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return result
    }

    /// The route of `route` (written without a language prefix) in this renderer's language.
    func localized(_ route: String) -> String { site.config.routePrefix(for: language.key) + route }

    /// `route` without this language's prefix: `/zh/programs/` → `/programs/`.
    func unprefixed(_ route: String) -> String {
        let prefix = site.config.routePrefix(for: language.key)
        return prefix.isEmpty || !route.hasPrefix(prefix + "/") ? route : String(route.dropFirst(prefix.count))
    }

    /// Where this language's 404 page goes: `404.html`, and `zh/404.html` for a language under `/zh/`.
    var notFoundPath: String { String(localized("/").dropFirst()) + "404.html" }

    /// `404.html` from `Templates/404.mustache`, when the theme has one, in this language (under its prefix:
    /// a host sends `/zh/…` misses to `zh/404.html`, see docs/deploy/).
    func renderNotFound() throws(DiagnosticsError) -> [RenderedPage] {
        guard templates.layouts.contains("404") else { return [] }
        let home = localized("/")
        let page = Page(contentPath: "404.md", sourcePath: "Templates/404.mustache", kind: .page, section: "",
                        listsSection: nil, route: home + "404.html",
                        title: strings.optional("not_found.title", fallback: "Page not found"), isGenerated: true)
        var context = baseContext(for: page, route: home, body: .empty, reads: PageReads())
        context["languages"] = []
        context["alternates"] = []
        context["breadcrumbs"] = []
        context["has_breadcrumbs"] = false
        context["menu"] = menu(from: home, current: page)
        context["canonical_url"] = nil
        // The page's links are relative to its folder (the site root, or /zh/), which the anchor finds.
        let baseURL = site.config.baseURL.map { $0 + String(home.dropFirst()) }
        let html = NotFoundPage.anchor(templates.render(context, with: "404"), baseURL: baseURL)
        return [RenderedPage(route: home + "404.html", outputPath: notFoundPath, html: html, sourcePath: nil, layout: "404",
                             source: RenderedPage.notFoundSource)]
    }

    /// The layout a page uses: its `layout` field, else `home` for the root index, `section` for section
    /// pages (when the theme has one), else `page`.
    func layout(for page: Page) throws(DiagnosticsError) -> String {
        if let layout = page.layout {
            guard templates.layouts.contains(layout) else {
                let layouts = templates.layouts.sorted()
                throw DiagnosticsError([.error(at: page.layoutLocation ?? SourceLocation(file: page.sourcePath),
                    "layout '\(layout)' does not exist" + Suggestion.didYouMean(layout, in: layouts,
                        otherwise: "; add Templates/\(layout).mustache or use one of: \(layouts.joined(separator: ", "))"))])
            }
            return layout
        }
        let listed = listedCollection(page)
        let preferred: [String] = switch page.kind {
        case _ where listed != nil: [listed!.spec.listPage?.layout, listed!.spec.name, "section", "page"].compactMap { $0 }
        case .home: ["home", "page"]
        case .section: ["section", "page"]
        case .page: ["page"]
        }
        for name in preferred where templates.layouts.contains(name) { return name }
        throw DiagnosticsError([.error(at: SourceLocation(file: page.sourcePath),
            "no layout for this page; add Templates/\(preferred[0]).mustache")])
    }

    /// Renders one page (several when it paginates, and a page per value when it lists a collection whose
    /// field has one), each with what its context read (`PageReads`).
    public func render(_ page: Page) throws(DiagnosticsError) -> [RenderedPage] {
        let layout = try layout(for: page)
        let reads = PageReads()
        let children = page.listsSection.map { childPages(of: $0, reads: reads) } ?? []
        let chunks = page.paginate.map { size in stride(from: 0, to: max(children.count, 1), by: size).map {
            Array(children[$0..<min($0 + size, children.count)])
        } } ?? [children]
        let body = renderMarkdown(of: page, route: page.route, reads: reads)
        if !body.problems.isEmpty { throw DiagnosticsError(Self.diagnostics(for: body, of: page)) }
        var rendered: [RenderedPage] = []
        for (index, chunk) in chunks.enumerated() {
            let route = Self.pageRoute(page.route, index: index)
            reads.translations(unprefixed(route))
            var context = chunkContext(for: page, route: route, chunk: chunk, index: index, of: chunks.count, reads: reads)
            if case .object(var pageContext)? = context.removeValue(forKey: "page") {
                Self.addBody(body, to: &pageContext)
                context["page"] = .object(pageContext)
            }
            rendered.append(RenderedPage(route: route, outputPath: String(route.dropFirst()) + "index.html",
                                         html: templates.render(context, with: layout),
                                         sourcePath: page.isGenerated ? nil : page.sourcePath, layout: layout,
                                         markdownLinks: Self.locations(of: body, in: page),
                                         translations: translations[unprefixed(route)] ?? [:], source: page.route))
        }
        rendered += valuePages(of: page, layout: layout, body: body, reads: reads)
        let read = reads.sorted
        for index in rendered.indices { rendered[index].reads = read }
        return rendered
    }

    /// The context of page `index` (of `count`) of `page`, which lists `chunk`, without its Markdown.
    func chunkContext(for page: Page, route: String, chunk: [Page], index: Int, of count: Int, reads: PageReads) -> TemplateContext {
        var context = baseContext(for: page, route: route, body: nil, reads: reads)
        context["pages"] = .list(chunk.map { .object(summary(of: $0, from: route)) })
        if let section = page.listsSection {
            context["sections"] = .list(subsections(of: section, reads: reads).map { .object(summary(of: $0, from: route)) })
        }
        if count > 1 {
            context["pagination"] = .object(pagination(for: page, index: index, total: count, from: route))
        }
        if let collection = listedCollection(page) {
            context[collection.spec.name] = .object(listContext(collection, ordered(collection), from: route, reads: reads))
        }
        for query in page.queries {
            guard let collection = collectionsByName[query.collection] else { continue }
            context[query.collection] = .object(listContext(collection, ordered(collection).filter(query.matches), from: route, reads: reads))
        }
        return context
    }

    func renderMarkdown(of page: Page, route: String, reads: PageReads) -> RenderedMarkdown {
        let rewriter = LinkRewriter(pages: pagesByContentPath, recordRoutes: recordRoutes, style: site.config.links,
                                    drafts: site.draftPaths, reads: reads)
        let folder = Self.folder(of: page)
        return markdown.render(bodies?.text(of: page) ?? page.body) { url in rewriter.resolve(url, sourceFolder: folder, route: route) }
    }

    static func folder(of page: Page) -> String {
        page.contentPath.split(separator: "/").dropLast().joined(separator: "/")
    }

    /// The Markdown position of each link in `body`, by the URL written into the HTML.
    static func locations(of body: RenderedMarkdown, in page: Page) -> [String: [LinkOrigin]] {
        var result: [String: [LinkOrigin]] = [:]
        for link in body.links {
            result[link.url, default: []].append(LinkOrigin(
                location: SourceLocation(file: page.sourcePath, line: link.line + page.bodyLine - 1, column: link.column),
                written: link.written))
        }
        return result
    }

    /// Markdown problems at their position in the page's source file (the body starts after the front matter).
    static func diagnostics(for body: RenderedMarkdown, of page: Page) -> [Diagnostic] {
        body.problems.map {
            .error(at: SourceLocation(file: page.sourcePath, line: $0.line + page.bodyLine - 1, column: $0.column), $0.message)
        }
    }

    /// Ordinary pages directly in `section`, in list order.
    func childPages(of section: String, reads: PageReads) -> [Page] {
        reads.children(section)
        return childrenBySection[section] ?? []
    }

    func subsections(of section: String, reads: PageReads) -> [Page] {
        reads.subsections(section)
        return subsectionsBySection[section] ?? []
    }

    /// What the page's Markdown gives its context: `content`, `toc`, `has_toc`.
    static func addBody(_ body: RenderedMarkdown, to pageContext: inout TemplateContext) {
        pageContext["content"] = .text(body.html)
        pageContext["toc"] = .list(body.headings.map { heading -> TemplateValue in
            ["level": .int(heading.level), "text": .text(heading.text), "id": .text(heading.id),
             "url": .text("#" + RelativeURL.encodedFragment(heading.id))]
        })
        pageContext["has_toc"] = .bool(body.headings.count >= 2)
    }

    /// The context every layout gets for `page` at `route`; without `body`, what its Markdown gives is left
    /// out (see `render`).
    func baseContext(for page: Page, route: String, body: RenderedMarkdown?, reads: PageReads) -> TemplateContext {
        var pageContext = summary(of: page, from: route)
        if let body { Self.addBody(body, to: &pageContext) }
        pageContext["kind"] = .text(page.kind.rawValue)
        pageContext["is_home"] = .bool(page.kind == .home)
        pageContext["is_section"] = .bool(page.kind == .section)
        var params: TemplateContext = [:]
        for (key, value) in page.params { params[key] = TemplateValue(value) }
        pageContext["params"] = .object(params)

        let crumbs = breadcrumbs(for: page, from: route, reads: reads)
        reads.menu(language.key)
        var context: TemplateContext = [
            "site": .object(siteContext),
            "page": .object(pageContext),
            "root": .text(RelativeURL.root(from: route)),
            "home_url": .text(link(route, to: localized("/"))),
            "menu": menu(from: route, current: page),
            "breadcrumbs": .list(crumbs),
            "has_breadcrumbs": .bool(!crumbs.isEmpty),
            "data": .object(data),
            "t": .object(strings.context),
            "lang": .text(language.code),
        ]
        if let base = site.config.baseURL {
            context["canonical_url"] = .text(base + RelativeURL.encodedPath(route.dropFirst()))
        }
        let (languages, alternates) = languageLinks(from: route)
        context["languages"] = .list(languages)
        context["has_languages"] = .bool(languages.count > 1)
        context["alternates"] = .list(alternates)
        if let list = page.list {
            context["list"] = .list(childPages(of: list, reads: reads).map { .object(summary(of: $0, from: route)) })
        }
        return context
    }

    /// The language switcher (every language, with the same page in it, or its home page when the page is not
    /// translated) and the `hreflang` alternates (each translation, then `x-default`).
    func languageLinks(from route: String) -> (languages: [TemplateValue], alternates: [TemplateValue]) {
        let versions = translations[unprefixed(route)] ?? [language.key: route]
        func address(_ target: String) -> String {
            site.config.baseURL.map { $0 + RelativeURL.encodedPath(target.dropFirst()) } ?? link(route, to: target)
        }
        var languages: [TemplateValue] = []
        var alternates: [TemplateValue] = []
        for other in site.config.languages {
            let target = versions[other.key]
            languages.append([
                "code": .text(other.code), "key": .text(other.key), "name": .text(other.name),
                "url": .text(link(route, to: target ?? site.config.routePrefix(for: other.key) + "/")),
                "current": .bool(other.key == language.key), "translated": .bool(target != nil),
            ])
            if let target { alternates.append(["hreflang": .text(other.code), "url": .text(address(target))]) }
        }
        if alternates.count > 1, let main = versions[site.config.defaultLanguage.key] {
            alternates.append(["hreflang": "x-default", "url": .text(address(main))])
        }
        return (languages, alternates.count > 1 ? alternates : [])
    }

    /// The route of page `index` (0-based) of a paginated list.
    static func pageRoute(_ route: String, index: Int) -> String {
        index == 0 ? route : route + "page/\(index + 1)/"
    }

    /// How many pages a list page is split into.
    func pageCount(of page: Page) -> Int {
        guard let size = page.paginate else { return 1 }
        let count = page.listsSection.map { childrenBySection[$0]?.count ?? 0 } ?? 0
        return max(1, (count + size - 1) / size)
    }

    /// Every route each language renders, by the route without language prefix: what `hreflang`, the
    /// switcher and the sitemap link between.
    static func translations(of site: Site, renderers: [PageRenderer]) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for planned in plannedRoutes(of: site, renderers: renderers) {
            result[planned.unprefixed, default: [:]][planned.language] = planned.route
        }
        return result
    }

    /// Every page route each language renders (pages, pages of a paginated list, records' pages, value pages),
    /// with what makes it.
    static func plannedRoutes(of site: Site, renderers: [PageRenderer]) -> [(route: String, unprefixed: String, language: String, source: String, location: SourceLocation?)] {
        var result: [(route: String, unprefixed: String, language: String, source: String, location: SourceLocation?)] = []
        for renderer in renderers {
            func add(_ route: String, _ source: String, at location: SourceLocation? = nil) {
                result.append((route, renderer.unprefixed(route), renderer.language.key, source, location))
            }
            for page in renderer.pages {
                for index in 0..<renderer.pageCount(of: page) { add(pageRoute(page.route, index: index), page.sourcePath) }
                if let collection = renderer.listedCollection(page) {
                    for route in renderer.valueRoutes(of: collection) { add(route, page.sourcePath) }
                }
            }
            for collection in site.collections {
                guard let pages = collection.spec.recordPages else { continue }
                for record in collection.records {
                    add(renderer.localized(pages.route(of: record.id)), "the page of the \(collection.spec.singular) '\(record.id)'", at: record.location)
                }
            }
        }
        return result
    }

    var siteContext: TemplateContext {
        ["title": .text(site.config.titles[language.key] ?? site.config.title), "language": .text(language.code),
         "description": .orAbsent(site.config.descriptions[language.key] ?? site.config.description),
         "base_url": .orAbsent(site.config.baseURL)]
    }

    /// What lists show of a page.
    func summary(of page: Page, from route: String) -> TemplateContext {
        [
            "title": .text(page.title),
            "url": .text(link(route, to: page.route)),
            "description": .orAbsent(page.description),
            "date": .orAbsent(page.date?.description),
            "date_display": .orAbsent(page.date.map(strings.date)),
            "weight": .orAbsent(page.weight),
        ]
    }

    /// The URL from the page at `route` to the site path `to`, in the site's link style.
    func link(_ route: String, to path: String) -> String {
        RelativeURL.from(route, to: path, style: site.config.links)
    }

    func menu(from route: String, current: Page) -> TemplateValue {
        // Pages in one folder get the same links and the same items active, unless an item leads to the page
        // or into it (then it is current, or its link is the page's own).
        let shared = !menuTargets.contains { $0.route?.hasPrefix(current.route) ?? false }
        let key = shared ? Self.parent(of: route) + "\u{0}" + Self.parent(of: current.route) : nil
        if let key, let known = memo.menus.withLock({ $0[key] }) { return known }
        let menu = makeMenu(from: route, current: current)
        if let key { memo.menus.withLock { $0[key] = menu } }
        return menu
    }

    /// The folder a route is in: `/a/b/` → `/a/`.
    static func parent(of route: String) -> String {
        var path = route.utf8.dropLast()
        while let last = path.last, last != UInt8(ascii: "/") { path = path.dropLast() }
        return String(Substring(path))
    }

    func makeMenu(from route: String, current: Page) -> TemplateValue {
        .list(menuTargets.map { target -> TemplateValue in
            guard let to = target.route else {
                return ["title": .text(target.title), "url": .text(target.url ?? ""), "current": false, "active": false, "external": true]
            }
            let isCurrent = to == current.route
            let isActive = isCurrent || (!target.isHome && current.route.hasPrefix(to))
            return ["title": .text(target.title), "url": .text(link(route, to: to)), "current": .bool(isCurrent),
                    "active": .bool(isActive), "external": false]
        })
    }

    /// The menu's items that lead somewhere in this language, in order.
    func menuEntries() -> [MenuTarget] {
        site.config.menu.compactMap { entry -> MenuTarget? in
            switch entry.target {
            case .url(let url):
                return MenuTarget(title: entry.title ?? url, url: url, isHome: false)
            case .page(let path):
                let contentPath = path.split(separator: "/").joined(separator: "/")
                let target: (route: String, title: String, isHome: Bool, language: String)
                if let page = pagesByContentPath[contentPath] {
                    target = (page.route, page.title, page.kind == .home, page.language)
                } else if let route = recordRoutes[contentPath], let title = recordTitles[contentPath] {
                    // The prose of a record: the item leads to the record's page.
                    target = (route, title, false, language.key)
                } else {
                    return nil
                }
                let isDefault = language.key == site.config.defaultLanguage.key
                let title = entry.titles[language.key] ?? (isDefault || target.language != language.key ? entry.title : nil) ?? target.title
                return MenuTarget(title: title, route: target.route, isHome: target.isHome)
            }
        }
    }

    /// Home, then each enclosing section, not including the page itself.
    func breadcrumbs(for page: Page, from route: String, reads: PageReads) -> [TemplateValue] {
        guard page.kind != .home else { return [] }
        // The same for every page in one folder (the same ancestors, linked from the same place).
        let key = Self.parent(of: page.route) + "\u{0}" + Self.parent(of: route)
        if let known = memo.breadcrumbs.withLock({ $0[key] }) {
            for ancestor in known.ancestors { reads.page(ancestor) }
            return known.crumbs
        }
        var crumbs: [TemplateValue] = []
        var prefix = "/"
        let segments = unprefixed(page.route).split(separator: "/").dropLast()
        let routes = ["/"] + segments.map { prefix += $0 + "/"; return prefix }
        let ancestors = routes.map(localized)
        for ancestor in ancestors {
            reads.page(ancestor)
            guard let section = pagesByRoute[ancestor] else { continue }
            crumbs.append(["title": .text(section.title), "url": .text(link(route, to: section.route))])
        }
        memo.breadcrumbs.withLock { $0[key] = (ancestors, crumbs) }
        return crumbs
    }

    func pagination(for page: Page, index: Int, total: Int, from route: String) -> TemplateContext {
        func url(_ i: Int) -> TemplateValue { .text(link(route, to: Self.pageRoute(page.route, index: i))) }
        var context: TemplateContext = [
            "current": .int(index + 1), "total": .int(total),
            "pages": .list((0..<total).map { ["number": .int($0 + 1), "url": url($0), "current": .bool($0 == index)] }),
        ]
        if index > 0 { context["prev_url"] = url(index - 1) }
        if index + 1 < total { context["next_url"] = url(index + 1) }
        return context
    }
}

/// The renderers of every language of one site (the default language first): renders the whole site, and
/// re-renders given pages — newer versions of pages of that site that differ only in their Markdown body
/// (the caller knows; see `SiteBuilder`'s cache).
public final class LanguageRenderers: @unchecked Sendable {
    let renderers: [PageRenderer]

    /// Compiles and checks the templates, and plans every language's routes once.
    /// - Parameter bodies: the pages' Markdown, when the caller took it out of `site` so that each body can
    ///   be let go as soon as its page is rendered (`orbis build` at 50,000 pages: about 360 MB).
    /// - Parameter threads: how many threads render each language's pages.
    public init(site: Site, bodies: MarkdownBodies? = nil, threads: Int = Parallelism.processors) throws(DiagnosticsError) {
        let templates = try TemplateSet(site.templates)
        var renderers = site.config.languages.map {
            PageRenderer(site: site, templates: templates, language: $0, translations: [:])
        }
        var problems = Self.checkNames(templates, site: site, renderer: renderers[0])
        do throws(DiagnosticsError) { try Strings.checkTemplates(templates, site: site) } catch { problems += error.diagnostics }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        let translations = PageRenderer.translations(of: site, renderers: renderers)
        for index in renderers.indices {
            renderers[index].translations = translations
            renderers[index].bodies = bodies
            renderers[index].threads = threads
        }
        self.renderers = renderers
    }

    /// Which languages have each page: route without language prefix → language key → route.
    package var translations: [String: [String: String]] { renderers[0].translations }

    /// The routes of the page at `route` in each language that has it (`RenderedPage.translations`).
    package func translations(ofRoute route: String) -> [String: String] {
        let renderer = renderers.dropFirst().first { renderer in
            let prefix = renderer.site.config.routePrefix(for: renderer.language.key)
            return route == prefix + "/" || route.hasPrefix(prefix + "/")
        } ?? renderers[0]
        return renderer.translations[renderer.unprefixed(route)] ?? [:]
    }

    /// Each language's records' prose files → the routes of their pages (where a Markdown link to one leads).
    package var recordRoutes: [String: [String: String]] {
        Dictionary(uniqueKeysWithValues: renderers.map { ($0.language.key, $0.recordRoutes) })
    }

    /// Each language's menu as its pages show it (titles resolved from pages and records), by language key.
    package var menus: [String: [(title: String, route: String?, url: String?, isHome: Bool)]] {
        Dictionary(uniqueKeysWithValues: renderers.map { ($0.language.key, $0.menuTargets.map { ($0.title, $0.route, $0.url, $0.isHome) }) })
    }

    /// Every page this site renders, by output path, with what makes it (for `OutputPlan`).
    public func plannedPages() -> [(path: String, source: String, location: SourceLocation?)] {
        var result = PageRenderer.plannedRoutes(of: renderers[0].site, renderers: renderers).map {
            (path: String($0.route.dropFirst()) + "index.html", source: $0.source, location: $0.location)
        }
        if renderers[0].templates.layouts.contains("404") {
            for renderer in renderers { result.append((renderer.notFoundPath, "Templates/404.mustache", nil)) }
        }
        return result
    }

    /// What renders the pages at these output paths (`a/index.html`): the pages by route (a list page for
    /// each of its pages, and its collection's pages per value) and the records' pages among them.
    public func selection(making paths: Set<String>) -> RenderSelection {
        var selection = RenderSelection(records: [])
        func makes(_ route: String) -> Bool { paths.contains(String(route.dropFirst()) + "index.html") }
        for renderer in renderers {
            for page in renderer.pages {
                let listed = renderer.listedCollection(page)
                if (0..<renderer.pageCount(of: page)).contains(where: { makes(PageRenderer.pageRoute(page.route, index: $0)) })
                    || listed.map({ renderer.valueRoutes(of: $0).contains(where: makes) }) == true {
                    selection.pages.insert(page.route)
                }
            }
            for collection in renderer.site.collections {
                guard let pages = collection.spec.recordPages else { continue }
                for record in collection.records where makes(renderer.localized(pages.route(of: record.id))) {
                    selection.collections.insert(collection.spec.name)
                    selection.records?.insert(renderer.localized(pages.route(of: record.id)))
                }
            }
        }
        return selection
    }

    /// For a test: `record` sees every context a layout is rendered with.
    func recordContexts(_ record: @escaping @Sendable (TemplateContext, String) -> Void) {
        renderers[0].templates.recorder.record.withLock { $0 = record }
    }

    /// For a test: what the template check expects each layout to receive.
    func layoutShapes() -> [String: ContextShape] {
        Self.layoutShapes(renderers[0].templates, site: renderers[0].site, renderer: renderers[0]).roots.mapValues { .object($0.shape) }
    }

    /// Checks every name each layout uses against what the pages that use it receive: ordinary pages (all of
    /// them: home, sections, lists, the 404 page) get the page context, a collection's list page (or a page
    /// asking with `collections:`) that collection, and record pages their record.
    static func checkNames(_ templates: TemplateSet, site: Site, renderer: PageRenderer) -> [Diagnostic] {
        let (roots, any) = layoutShapes(templates, site: site, renderer: renderer)
        return templates.checkNames(roots: roots, any: any)
    }

    /// What each layout receives (its root shape, and the kinds of pages that use it), and what some page
    /// of the site receives (for a template no page uses yet).
    static func layoutShapes(_ templates: TemplateSet, site: Site, renderer: PageRenderer)
        -> (roots: [String: (shape: [String: ContextShape], usedBy: String)], any: [String: ContextShape]) {
        let page = ContextSchema.page(of: site)
        let specs = Dictionary(site.collections.map { ($0.spec.name, $0.spec) }, uniquingKeysWith: { a, _ in a })
        let formats = Strings.formatNames(site)
        // Each kind of page that uses a layout, with what it receives beyond what every page does.
        var users: [String: [(kind: String, extra: [String: ContextShape])]] = [:]
        for candidate in site.pages {
            guard let layout = try? renderer.layout(for: candidate) else { continue }
            var extra: [String: ContextShape] = [:]
            if let collection = renderer.listedCollection(candidate) {
                extra[collection.spec.name] = ContextSchema.list(of: collection.spec, among: specs, formats: formats)
            }
            for query in candidate.queries {
                if let spec = specs[query.collection] { extra[query.collection] = ContextSchema.list(of: spec, among: specs, formats: formats) }
            }
            users[layout, default: []].append(("pages", extra))
        }
        if templates.layouts.contains("404") { users["404", default: []].append(("the 404 page", [:])) }
        var any = page
        for spec in specs.values {
            any[spec.name] = ContextSchema.list(of: spec, among: specs, formats: formats)
            guard let pages = spec.recordPages else { continue }
            let record = RecordContext.shape(of: spec, among: specs, formats: formats)
            let extra: [String: ContextShape] = [spec.singular: record, "record": record, "json_ld": .html]
            users[pages.layout, default: []].append(("\(spec.singular) pages", extra))
            any.merge(extra) { a, b in a.union(b) }
        }
        var roots: [String: (shape: [String: ContextShape], usedBy: String)] = [:]
        for (layout, kinds) in users {
            var shape = page
            for kind in kinds { shape.merge(kind.extra) { a, b in a.union(b) } }
            roots[layout] = (shape, Set(kinds.map(\.kind)).sorted().joined(separator: ", "))
        }
        return (roots, any)
    }

    /// Renders all pages in every language, collecting every problem (broken `.md` links, missing layouts,
    /// missing strings) before failing.
    /// - Parameter only: the pages and records' pages to render, the others being known unchanged (a
    ///   rebuild); nil renders every one. 404 pages are always rendered.
    /// - Parameter consume: called with each page on the thread that rendered it, right after rendering (so
    ///   a build can check, hash and stage a page and let its HTML go); what it returns is what is kept.
    ///   It must be safe to call from several threads at once.
    /// - Parameter notFound: render the 404 pages too (every build does; `renderFirst` does not).
    public func renderAll(only: RenderSelection? = nil, notFound: Bool = true,
                          consume: (RenderedPage) -> RenderedPage = { $0 }) throws(DiagnosticsError) -> [RenderedPage] {
        var result: [RenderedPage] = []
        var diagnostics: [Diagnostic] = []
        for renderer in renderers {
            do throws(DiagnosticsError) {
                result += try renderer.renderLanguage(only: only, consume)
            } catch {
                diagnostics += error.diagnostics
            }
        }
        do throws(DiagnosticsError) {
            if notFound { for renderer in renderers { result += try renderer.renderNotFound().map(consume) } }
        } catch {
            diagnostics += error.diagnostics
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(Array(Set(diagnostics)).sorted()) }
        return result.sorted { $0.outputPath < $1.outputPath }
    }
}

/// The Markdown bodies of a site's pages, taken out of its `Page` values (which every renderer copies) so
/// that each can be let go once its page is rendered. Each Markdown file is rendered once (a page belongs to
/// one language; a record's prose to its page in one language).
public final class MarkdownBodies: Sendable {
    private let texts: Mutex<[String: String]>

    /// Moves every body out of `site` (pages and records' prose), leaving them empty there.
    public init(takingFrom site: inout Site) {
        texts = Mutex(site.takeBodies())
    }

    /// None taken: each page's Markdown is in its `Page` (`orbis serve`, whose cache keeps them anyway).
    public init() {
        texts = Mutex([:])
    }

    /// The body of `page`, if it was taken and not yet released.
    func text(of page: Page) -> String? {
        texts.withLock { $0[page.sourcePath] }
    }

    /// Gives the body of the page whose file is `sourcePath` (a page a build knew without its text).
    public func provide(_ text: String, for sourcePath: String) {
        texts.withLock { $0[sourcePath] = text }
    }

    func release(_ page: Page) {
        _ = texts.withLock { $0.removeValue(forKey: page.sourcePath) }
    }
}
