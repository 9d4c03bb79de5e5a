import SiteLoad
import SiteModel
import SiteRender

/// What a site is made of, as digests a later build compares with its own to know what an edit can have
/// changed (`BuildCache.plan`):
/// - `structure`: what every page reads — the settings, the templates, the string tables, the data files,
///   the files copied. When it changes, every page is rendered again.
/// - `own`: each page's own fields and its Markdown file (by the file's SHA-256), by route.
/// - `summaries`: what lists and breadcrumbs show of each page (title, description, date, weight), by route;
///   `places`: each page's kind and section (which lists it is in).
/// - `collections`: each collection's records and prose, by name.
/// - `links`: where a Markdown link to each file leads in each language (a page, a record's page, a draft).
/// - `translations`: which languages have each page, by its route without language prefix.
/// - `menus`: each language's menu as its pages show it, by language key.
/// A page rendered with the same structure and the same own digest, none of whose reads
/// (`RenderedPage.reads`) changed, renders to the same bytes: it is not rendered again.
struct SiteDigests: Sendable {
    /// What a digest says of one page.
    struct PageDigest: Sendable, Equatable {
        var own: ShortDigest
        var summary: ShortDigest
        /// The list it is in: `c` and its section for a page, `u` for a section (`h` for the home page).
        var place: String
    }

    var structure: ShortDigest
    /// By route.
    var pages: [String: PageDigest]
    var collections: [String: ShortDigest]
    var links: [String: ShortDigest]
    var translations: [String: ShortDigest]
    var menus: [String: ShortDigest]

    init(structure: ShortDigest, pages: [String: PageDigest], collections: [String: ShortDigest], links: [String: ShortDigest],
         translations: [String: ShortDigest], menus: [String: ShortDigest]) {
        self.structure = structure
        self.pages = pages
        self.collections = collections
        self.links = links
        self.translations = translations
        self.menus = menus
    }

    /// - Parameter settings: what the build was asked that changes pages (drafts, `--base-url`).
    init(site: Site, renderers: LanguageRenderers, settings: String) {
        var structure = RecordWriter(capacity: 1 << 16)
        structure.string("orbis-structure-2")
        structure.string(settings)
        Canonical.add(site.config, to: &structure)
        structure.list(site.templates.sorted { $0.path < $1.path }) { w, template in
            w.string(template.name)
            w.string(template.path)
            w.string(template.text)
            w.bool(template.isPartial)
        }
        structure.map(site.strings) { w, table in
            w.string(table.file)
            w.map(table.values) { $0.string($1) }
        }
        structure.list(site.data) { w, pair in
            w.string(pair.key)
            w.value(pair.value)
        }
        structure.strings(site.assets.map(\.outputPath).sorted())
        self.structure = structure.short
        self.menus = renderers.menus.mapValues { menu in
            var digest = RecordWriter(capacity: 1024)
            digest.list(menu) { w, item in
                w.string(item.title)
                w.optional(item.route) { $0.string($1) }
                w.optional(item.url) { $0.string($1) }
                w.bool(item.isHome)
            }
            return digest.short
        }

        let digested = parallelMap(site.pages) { page -> PageDigest in
            var summary = RecordWriter(capacity: 256)
            summary.string(page.title)
            summary.optional(page.description) { $0.string($1) }
            summary.optional(page.date) { $0.date($1) }
            summary.optional(page.weight) { $0.int($1) }
            return PageDigest(own: Self.own(page), summary: summary.short, place: Self.place(page.kind, page.section))
        }
        var pages: [String: PageDigest] = [:]
        pages.reserveCapacity(site.pages.count)
        var targets: [String: [String: String]] = [:]
        for (page, digest) in zip(site.pages, digested) {
            pages[page.route] = digest
            targets[page.contentPath, default: [:]][page.language] = page.route
        }
        self.pages = pages

        var collections: [String: ShortDigest] = [:]
        for collection in site.collections {
            var digest = RecordWriter(capacity: 1 << 16)
            digest.list(collection.records) { w, record in
                w.string(record.id)
                w.map(record.values) { $0.fieldValue($1) }
                w.map(record.prose) { w, page in w.digest(Self.own(page)) }
            }
            collections[collection.spec.name] = digest.short
        }
        self.collections = collections

        // A link to a file leads to the page of that file in the page's language, else in the default
        // language; to a record's page; or nowhere (a draft, a missing file: an error).
        for (language, routes) in renderers.recordRoutes {
            for (path, route) in routes { targets[path, default: [:]]["@" + language] = route }
        }
        for path in site.draftPaths { targets[path, default: [:]]["!"] = "draft" }
        self.links = targets.mapValues(Self.digest)
        self.translations = renderers.translations.mapValues(Self.digest)
    }

    static func digest(_ map: [String: String]) -> ShortDigest {
        var digest = RecordWriter(capacity: 128)
        digest.map(map) { $0.string($1) }
        return digest.short
    }

    static func place(_ kind: Page.Kind, _ section: String) -> String {
        (kind == .section ? "u" : kind == .page ? "c" : "h") + section
    }

    /// A page's own digest. A page of a file is what its file (by its SHA-256), where the file is and the
    /// site's structure make it (the settings, in `structure`, are compared first); a page a build made,
    /// every field.
    static func own(_ page: Page) -> ShortDigest {
        var digest = RecordWriter(capacity: 256)
        if let source = page.sourceDigest {
            digest.string(page.sourcePath)
            digest.string(page.route)
            digest.string(page.language)
            digest.digest(source)
        } else {
            digest.page(page)
            digest.string(page.body)
        }
        return digest.short
    }

    /// What an edit changed that pages read (`RenderedPage.reads`): pages added, removed or moved to another
    /// list, and summaries changed (the page at that route, and the lists it was and is in); collections;
    /// where links to files lead; which languages have a page; menus.
    func changedReads(since old: SiteDigests) -> Set<String> {
        var keys: Set<String> = []
        for route in Set(pages.keys).union(old.pages.keys) {
            let now = pages[route], before = old.pages[route]
            guard now?.place != before?.place || now?.summary != before?.summary else { continue }
            keys.insert("p" + route)
            for place in [now?.place, before?.place] {
                if let place, !place.hasPrefix("h") { keys.insert(place) }
            }
        }
        Self.changes(collections, old.collections, "r", into: &keys)
        Self.changes(links, old.links, "l", into: &keys)
        Self.changes(translations, old.translations, "t", into: &keys)
        Self.changes(menus, old.menus, "m", into: &keys)
        return keys
    }

    private static func changes(_ new: [String: ShortDigest], _ old: [String: ShortDigest], _ tag: String, into keys: inout Set<String>) {
        for (key, digest) in new where old[key] != digest { keys.insert(tag + key) }
        for key in old.keys where new[key] == nil { keys.insert(tag + key) }
    }
}

extension RecordWriter {
    mutating func fieldValue(_ value: FieldValue) {
        switch value {
        case .text(let text): byte(0); string(text)
        case .localized(let main, let others): byte(1); string(main); map(others) { $0.string($1) }
        case .markdown(let main, let others): byte(2); string(main); map(others) { $0.string($1) }
        case .integer(let n): byte(3); int(n)
        case .number(let n): byte(4); double(n)
        case .bool(let b): byte(5); bool(b)
        case .date(let date): byte(6); self.date(date)
        case .yearMonth(let year, let month): byte(7); int(year); optional(month) { $0.int($1) }
        case .url(let text): byte(8); string(text)
        case .email(let text): byte(9); string(text)
        case .country(let code): byte(10); string(code)
        case .point(let latitude, let longitude): byte(11); double(latitude); double(longitude)
        case .enumeration(let name): byte(12); string(name)
        case .reference(let id): byte(13); string(id)
        case .list(let items): byte(14); list(items) { $0.fieldValue($1) }
        case .group(let values): byte(15); map(values) { $0.fieldValue($1) }
        }
    }
}

/// Any value written out the same way in every process, by reflection: the settings and the collections'
/// declarations, whose types are many and small. Dictionaries and sets are written in the order of their
/// keys (a Swift dictionary's order changes from one process to the next); each value with its type's name.
enum Canonical {
    static func add(_ value: Any, to writer: inout RecordWriter) {
        switch value {
        case let text as String: writer.byte(1); writer.string(text)
        case let number as Int: writer.byte(2); writer.int(number)
        case let number as Double: writer.byte(3); writer.double(number)
        case let flag as Bool: writer.byte(4); writer.bool(flag)
        case let points as [GeoPoint]:
            writer.byte(5)
            writer.list(points) { w, point in
                w.double(point.latitude)
                w.double(point.longitude)
            }
        default:
            let mirror = Mirror(reflecting: value)
            writer.byte(6)
            writer.string(String(reflecting: type(of: value)))
            switch mirror.displayStyle {
            case .dictionary?:
                var entries: [([UInt8], [UInt8])] = mirror.children.map { child in
                    let pair = Mirror(reflecting: child.value).children.map(\.value)
                    var key = RecordWriter(), item = RecordWriter()
                    add(pair.first as Any, to: &key)
                    add(pair.last as Any, to: &item)
                    return (key.bytes, item.bytes)
                }
                entries.sort { $0.0.lexicographicallyPrecedes($1.0) }
                writer.int(entries.count)
                for (key, item) in entries {
                    writer.list(key) { $0.byte($1) }
                    writer.list(item) { $0.byte($1) }
                }
            case .set?:
                var items: [[UInt8]] = mirror.children.map { child in
                    var item = RecordWriter()
                    add(child.value, to: &item)
                    return item.bytes
                }
                items.sort { $0.lexicographicallyPrecedes($1) }
                writer.list(items) { w, item in w.list(item) { $0.byte($1) } }
            case .enum? where mirror.children.isEmpty:
                writer.string(String(describing: value))
            default:
                writer.int(Int(mirror.children.count))
                for child in mirror.children {
                    writer.string(child.label ?? "")
                    add(child.value, to: &writer)
                }
            }
        }
    }
}
