/// One Markdown page of the site (or a generated list page for a folder without `index.md`).
public struct Page: Sendable {
    public enum Kind: String, Sendable { case home, section, page }

    /// Path relative to `Content/`, e.g. `programs/ottawa.md`; for a generated section page, `programs/index.md`.
    public var contentPath: String
    /// Path relative to the site root, for diagnostics, e.g. `Content/programs/ottawa.md`.
    public var sourcePath: String
    public var kind: Kind
    /// The content path of the folder this page belongs to (`""` for the root); for a section page, its parent.
    public var section: String
    /// For a section page, the folder it lists (`programs`); `nil` for ordinary pages.
    public var listsSection: String?
    /// The page URL path from the site root, always ending in `/`: `/`, `/programs/ottawa/`.
    public var route: String
    public var title: String
    public var description: String?
    public var layout: String?
    public var layoutLocation: SourceLocation?
    public var weight: Int?
    public var draft: Bool
    public var date: CalendarDate?
    /// Front matter `list: programs`: this page's template also gets that section's pages.
    public var list: String?
    public var listLocation: SourceLocation?
    /// Front matter `paginate: 20`: split the section's page list.
    public var paginate: Int?
    /// Front matter `collections: {people: {country: FR}}`: this page's template gets those records.
    public var queries: [CollectionQuery] = []
    /// Every other front matter field, for templates.
    public var params: [(key: String, value: Value)]
    /// The Markdown after the front matter.
    public var body: String
    /// The line in the source file where `body` starts (1-based).
    public var bodyLine: Int
    /// True for a list page made for a folder that has no `index.md`.
    public var isGenerated: Bool
    /// The key of the page's language (`en`, `zh`); `ottawa.zh.md` is the `zh` translation of `ottawa.md`, and
    /// both share `contentPath` `ottawa.md`. Routes of other than the default language start with `/<key>/`.
    public var language: String = ""

    public init(contentPath: String, sourcePath: String, kind: Kind, section: String, listsSection: String?,
                route: String, title: String, description: String? = nil, layout: String? = nil,
                layoutLocation: SourceLocation? = nil, weight: Int? = nil, draft: Bool = false,
                date: CalendarDate? = nil, list: String? = nil, listLocation: SourceLocation? = nil,
                paginate: Int? = nil, params: [(key: String, value: Value)] = [], body: String = "",
                bodyLine: Int = 1, isGenerated: Bool = false) {
        self.contentPath = contentPath
        self.sourcePath = sourcePath
        self.kind = kind
        self.section = section
        self.listsSection = listsSection
        self.route = route
        self.title = title
        self.description = description
        self.layout = layout
        self.layoutLocation = layoutLocation
        self.weight = weight
        self.draft = draft
        self.date = date
        self.list = list
        self.listLocation = listLocation
        self.paginate = paginate
        self.params = params
        self.body = body
        self.bodyLine = bodyLine
        self.isGenerated = isGenerated
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
