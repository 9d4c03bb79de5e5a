/// One Markdown page of the site (or a generated list page for a folder without `index.md`).
public struct Page: Sendable {
    public enum Kind: String, Sendable { case home, section, page }

    /// The page's values, held in one shared box: a copy of a page (into a list, a cache, a dictionary) is
    /// one reference counted instead of one per string and list it holds; a change copies the box first
    /// when another page shares it.
    struct Fields: Sendable {
        var contentPath: String
        var sourcePath: String
        var kind: Kind
        var section: String
        var listsSection: String?
        var route: String
        var title: String
        var description: String?
        var layout: String?
        var layoutLocation: SourceLocation?
        var weight: Int?
        var draft: Bool
        var date: CalendarDate?
        var list: String?
        var listLocation: SourceLocation?
        var paginate: Int?
        var queries: [CollectionQuery] = []
        var params: [(key: String, value: Value)]
        var body: String
        var bodyLine: Int
        var isGenerated: Bool
        var language: String = ""
        var sourceDigest: ShortDigest?
    }

    private var box: CopyOnWrite<Fields>

    /// Path relative to `Content/`, e.g. `programs/ottawa.md`; for a generated section page, `programs/index.md`.
    public var contentPath: String {
        get { box.value.contentPath }
        set { box.value.contentPath = newValue }
    }
    /// Path relative to the site root, for diagnostics, e.g. `Content/programs/ottawa.md`.
    public var sourcePath: String {
        get { box.value.sourcePath }
        set { box.value.sourcePath = newValue }
    }
    public var kind: Kind {
        get { box.value.kind }
        set { box.value.kind = newValue }
    }
    /// The content path of the folder this page belongs to (`""` for the root); for a section page, its parent.
    public var section: String {
        get { box.value.section }
        set { box.value.section = newValue }
    }
    /// For a section page, the folder it lists (`programs`); `nil` for ordinary pages.
    public var listsSection: String? {
        get { box.value.listsSection }
        set { box.value.listsSection = newValue }
    }
    /// The page URL path from the site root, always ending in `/`: `/`, `/programs/ottawa/`.
    public var route: String {
        get { box.value.route }
        set { box.value.route = newValue }
    }
    public var title: String {
        get { box.value.title }
        set { box.value.title = newValue }
    }
    public var description: String? {
        get { box.value.description }
        set { box.value.description = newValue }
    }
    public var layout: String? {
        get { box.value.layout }
        set { box.value.layout = newValue }
    }
    public var layoutLocation: SourceLocation? {
        get { box.value.layoutLocation }
        set { box.value.layoutLocation = newValue }
    }
    public var weight: Int? {
        get { box.value.weight }
        set { box.value.weight = newValue }
    }
    public var draft: Bool {
        get { box.value.draft }
        set { box.value.draft = newValue }
    }
    public var date: CalendarDate? {
        get { box.value.date }
        set { box.value.date = newValue }
    }
    /// Front matter `list: programs`: this page's template also gets that section's pages.
    public var list: String? {
        get { box.value.list }
        set { box.value.list = newValue }
    }
    public var listLocation: SourceLocation? {
        get { box.value.listLocation }
        set { box.value.listLocation = newValue }
    }
    /// Front matter `paginate: 20`: split the section's page list.
    public var paginate: Int? {
        get { box.value.paginate }
        set { box.value.paginate = newValue }
    }
    /// Front matter `collections: {people: {country: FR}}`: this page's template gets those records.
    public var queries: [CollectionQuery] {
        get { box.value.queries }
        set { box.value.queries = newValue }
    }
    /// Every other front matter field, for templates.
    public var params: [(key: String, value: Value)] {
        get { box.value.params }
        set { box.value.params = newValue }
    }
    /// The Markdown after the front matter.
    public var body: String {
        get { box.value.body }
        set { box.value.body = newValue }
    }
    /// The line in the source file where `body` starts (1-based).
    public var bodyLine: Int {
        get { box.value.bodyLine }
        set { box.value.bodyLine = newValue }
    }
    /// True for a list page made for a folder that has no `index.md`.
    public var isGenerated: Bool {
        get { box.value.isGenerated }
        set { box.value.isGenerated = newValue }
    }
    /// The key of the page's language (`en`, `zh`); `ottawa.zh.md` is the `zh` translation of `ottawa.md`, and
    /// both share `contentPath` `ottawa.md`. Routes of other than the default language start with `/<key>/`.
    public var language: String {
        get { box.value.language }
        set { box.value.language = newValue }
    }
    /// The SHA-256 of its Markdown file's bytes (nil for a generated page): a rebuild knows from it, without
    /// the file's text, that the page is the same.
    public var sourceDigest: ShortDigest? {
        get { box.value.sourceDigest }
        set { box.value.sourceDigest = newValue }
    }

    public init(contentPath: String, sourcePath: String, kind: Kind, section: String, listsSection: String?,
                route: String, title: String, description: String? = nil, layout: String? = nil,
                layoutLocation: SourceLocation? = nil, weight: Int? = nil, draft: Bool = false,
                date: CalendarDate? = nil, list: String? = nil, listLocation: SourceLocation? = nil,
                paginate: Int? = nil, params: [(key: String, value: Value)] = [], body: String = "",
                bodyLine: Int = 1, isGenerated: Bool = false) {
        box = CopyOnWrite(Fields(contentPath: contentPath, sourcePath: sourcePath, kind: kind, section: section,
                         listsSection: listsSection, route: route, title: title, description: description, layout: layout,
                         layoutLocation: layoutLocation, weight: weight, draft: draft, date: date, list: list,
                         listLocation: listLocation, paginate: paginate, params: params, body: body, bodyLine: bodyLine,
                         isGenerated: isGenerated))
    }

    /// The order of lists: `weight` (unset last), then `date` (newest first, undated last), then title, then route.
    /// `pages` in list order, each title lowercased once rather than at every comparison.
    public static func listSorted(_ pages: [Page]) -> [Page] {
        let titles = pages.map { $0.title.lowercased() }
        return pages.indices.sorted { listOrder(pages[$0], pages[$1], titles[$0], titles[$1]) }.map { pages[$0] }
    }

    private static func listOrder(_ a: Page, _ b: Page, _ aTitle: String, _ bTitle: String) -> Bool {
        switch (a.weight, b.weight) {
        case let (x?, y?) where x != y: return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        default: break
        }
        switch (a.date, b.date) {
        case let (x?, y?) where x != y: return x > y
        case (_?, nil): return true
        case (nil, _?): return false
        default: break
        }
        // Case-insensitive, independent of the user's locale (deterministic builds).
        if a.title != b.title { return aTitle != bTitle ? aTitle < bTitle : a.title < b.title }
        return a.route < b.route
    }
}

/// Records a page asks for: a collection, and the values its records must have (`{country: FR}`; a list
/// field matches when it holds the value). No criteria: all of them.
public struct CollectionQuery: Sendable, Hashable {
    public var collection: String
    public var criteria: [String: String]
    public var location: SourceLocation
    /// Where each criterion's value is written.
    public var criteriaLocations: [String: SourceLocation]

    public init(collection: String, criteria: [String: String] = [:], location: SourceLocation,
                criteriaLocations: [String: SourceLocation] = [:]) {
        self.collection = collection
        self.criteria = criteria
        self.location = location
        self.criteriaLocations = criteriaLocations
    }

    /// Whether `record` has every value asked for.
    public func matches(_ record: Record) -> Bool {
        criteria.allSatisfy { field, wanted in
            switch record.values[field] {
            case .list(let items)?: items.contains { $0.text(in: "") == wanted }
            case let value?: value.text(in: "") == wanted
            case nil: false
            }
        }
    }
}

/// A value held in one shared box, copied only when changed while shared: a copy of the holder is one
/// reference counted, however many strings and lists the value has (`Page`, `RenderedPage`).
public struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    public init(_ value: Value) { box = Box(value) }

    public var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }
}
